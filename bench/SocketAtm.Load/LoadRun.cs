using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using SocketAtm.Load.Acquiring;
using SocketAtm.Load.Ceilings;
using SocketAtm.Load.Correctness;
using SocketAtm.Load.Fleet;
using SocketAtm.Load.Hosting;
using SocketAtm.Load.Measurement;
using SocketAtm.Load.Reporting;
using SocketAtm.Load.Viewers;
using SocketAtm.Load.Workloads;
using SocketAtm.Server.Hosting;

namespace SocketAtm.Load;

/// <summary>
/// One run, start to finish: provision the fleet — into a fresh data directory (LiteDB) or a shared PostgreSQL database —
/// and start the hosts as processes of their own (or use a running one), connect and sign on every terminal, spread over
/// the hosts, warm up, measure, wait for every reversal, stop the hosts gracefully, check correctness against their
/// ledger, measure the ceilings, and write the results.
/// </summary>
internal sealed class LoadRun(LoadSettings settings, TextWriter log)
{
    private const int DefaultMaxBatchSize = 256;

    // The ceiling is LiteDB's own durable commit rate, in this process, with none of the host's work (bench/README.md).
    private const string StorageCeilingOnPostgreSql =
        "it measures LiteDB alone; PostgreSQL's commit rate belongs to a server that shares these cores with the hosts";

    private static readonly TimeSpan HostStartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan HostStopTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ReversalWait = TimeSpan.FromSeconds(60);

    // Terminals connecting in parallel report progress too; a test's StringWriter is not thread-safe.
    private readonly TextWriter _log = TextWriter.Synchronized(log);

    // With a not-on-us share, every host's route to the issuer simulator.
    private IReadOnlyList<string> _routeArguments = [];

    public async Task<LoadReport> RunAsync(CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var loadAtStart = MachineLoad.OneMinute();
        var fleet = new Fleet.Fleet(settings.Fleet);
        var statistics = new RunStatistics();
        var expected = new ExpectedLedger(fleet.Pans.Count);
        var offUs = settings.OffUsPercent > 0 ? new OffUsTraffic(settings.OffUsPercent / 100) : null;
        var context = new WorkloadContext(settings.Workload, fleet, statistics, expected, settings.Shares, settings.RequestTimeout, settings.Tls, offUs);
        var runDirectory = Path.Combine(Path.GetTempPath(), "socketatm-load-" + Guid.NewGuid().ToString("N")[..12]);
        List<string> dataDirectories = settings.Hosts == 1
            ? [runDirectory]
            : [.. Enumerable.Range(1, settings.Hosts).Select(number => Path.Combine(runDirectory, string.Create(CultureInfo.InvariantCulture, $"host-{number}")))];
        RunStorage? storage = null;
        HostGroup? hosts = null;
        NotOnUsRun? notOnUs = null;
        BooksResult? books = null;
        var keepData = settings.KeepData;
        try
        {
            List<HostEndPoint> endPoints;
            HostConnectionLimits? limits = null;
            long[]? balancesBefore = null;
            if (settings.Host is { } external)
            {
                endPoints = [new HostEndPoint(external, settings.Port)];
                await _log.WriteLineAsync($"Using the running host at {external}:{settings.Port}; reading {fleet.Pans.Count:N0} opening balances.");
                balancesBefore = await RunningHostCheck.ReadBalancesAsync(external, settings.Port, fleet, cancellationToken);
            }
            else
            {
                var server = ServerPath();
                storage = await RunStorage.PrepareAsync(settings.Storage, settings.ConnectionString);
                var where = storage.Provider == StorageProvider.PostgreSql ? storage.Description : dataDirectories[0];
                await _log.WriteLineAsync($"Provisioning {fleet.TerminalIds.Count:N0} terminals and {fleet.Pans.Count:N0} cards in {where}");
                await FleetProvisioner.ProvisionAsync(server, dataDirectories[0], settings.Fleet, storage.Environment, _log);
                var environment = storage.Environment;
                if (offUs is not null)
                {
                    // The simulator listens before the hosts start, so that they sign on to it at once.
                    notOnUs = await NotOnUsRun.StartAsync(offUs, _log);
                    _routeArguments = notOnUs.HostArguments;
                    environment = NotOnUsRun.HostEnvironment(environment);
                }

                hosts = await HostGroup.StartAsync(server, dataDirectories, HostArguments, environment, HostStartTimeout);
                limits = HostConnectionLimits.Read(server, environment, HostArguments(dataDirectories[0]));
                foreach (var host in hosts.Hosts)
                {
                    var name = hosts.Hosts.Count == 1 ? "Host" : $"Host {host.Number}";
                    await _log.WriteLineAsync($"{name} started (pid {host.Process.Id}) on port {host.Port}.");
                }

                endPoints = [.. hosts.Hosts.Select(host => host.EndPoint)];
                if (notOnUs is not null)
                {
                    await notOnUs.WaitUntilSignedOnAsync(hosts.Hosts, _log);
                }
            }

            IReadOnlyList<StartedHost> started = hosts?.Hosts ?? [];
            ProcessSample SampleHost() => new(SumOrNull(started.Select(host => ProcessMemory.Read(host.Process.Id)?.ResidentBytes)), MachineLoad.OneMinute());

            await _log.WriteLineAsync($"Connecting {fleet.TerminalIds.Count:N0} terminals ({settings.Workload}, {settings.Mode}).");
            var databaseProcess = storage?.DatabaseServerProcessId;
            var hostCpuFrom = new TimeSpan?[started.Count];
            var hostCpuUntil = new TimeSpan?[started.Count];
            TimeSpan? databaseCpuFrom = null;
            TimeSpan? databaseCpuUntil = null;
            TimeSpan harnessCpuFrom = default;
            TimeSpan harnessCpuUntil = default;
            LoadDriver driver;
            int connections;
            await using var viewers = settings.ConsoleViewers > 0 ? await ConsoleViewerLoad.ForHostsAsync(started, settings.ConsoleViewers, HostStartTimeout, _log) : null;
            ConsoleViewersResult? viewersResult = null;
            await using (var pool = await TerminalPool.OpenAsync(
                endPoints, context, settings.TerminalsPerConnection, bare: false, limits, settings.SpreadSourceAddresses, _log, cancellationToken))
            {
                connections = pool.Connections;
                await _log.WriteLineAsync($"{pool.Terminals.Count:N0} terminals signed on over {connections:N0} connections. Warm-up {settings.Warmup.TotalSeconds:F0} s, then {settings.Duration.TotalSeconds:F0} s measured (w = warm-up):");
                driver = new LoadDriver(pool.Terminals, statistics, SampleHost, _log, starting =>
                {
                    var cpu = started.Select(host => MachineLoad.ProcessCpu(host.Process.Id)).ToArray();
                    var database = databaseProcess is { } id ? MachineLoad.ProcessTreeCpu(id) : null;
                    var own = Process.GetCurrentProcess().TotalProcessorTime;
                    if (starting)
                    {
                        (hostCpuFrom, databaseCpuFrom, harnessCpuFrom) = (cpu, database, own);
                        viewers?.Start();
                    }
                    else
                    {
                        (hostCpuUntil, databaseCpuUntil, harnessCpuUntil) = (cpu, database, own);
                    }
                });
                await driver.RunAsync(settings.Warmup, settings.Duration, settings.Rate, settings.RequestTimeout + TimeSpan.FromSeconds(30));
                viewersResult = viewers is null ? null : await viewers.StopAsync();
                if (notOnUs is not null)
                {
                    await notOnUs.RunCpuPhasesAsync(pool.Terminals, started, settings.CpuPhaseDuration, settings.CpuPhaseRate, settings.RequestTimeout + TimeSpan.FromSeconds(30), _log);
                }

                await _log.WriteLineAsync("Load stopped; waiting for outstanding reversals.");
                if (!await expected.WaitForReversalsAsync(ReversalWait))
                {
                    statistics.RecordError("reversals still outstanding after the wait");
                }
            }

            if (notOnUs is not null)
            {
                await notOnUs.DrainAsync(_log);
            }

            var memory = started.Select(host => ProcessMemory.Read(host.Process.Id)).ToList();
            var loadAtEnd = MachineLoad.OneMinute();
            CorrectnessVerdict verdict;
            if (hosts is not null)
            {
                var exitCodes = await hosts.StopAsync(HostStopTimeout);
                var codes = string.Join(", ", exitCodes.Select(code => code?.ToString(CultureInfo.InvariantCulture) ?? "none (killed)"));
                await _log.WriteLineAsync(exitCodes.Length == 1
                    ? $"Host stopped with exit code {codes}; checking the ledger."
                    : $"Hosts stopped with exit codes {codes}; checking the ledger.");
                var (ledgerOptions, storageOptions) = storage!.LedgerSettings(dataDirectories[0]);
                verdict = await LedgerCheck.RunAsync(ledgerOptions, storageOptions, fleet, expected, driver.MeasuredWindow, cancellationToken);
                if (notOnUs is not null)
                {
                    books = await notOnUs.CompareBooksAsync(ledgerOptions, storageOptions, cancellationToken);
                    verdict = books.Holds ? verdict : verdict with { Holds = false, Failures = [.. verdict.Failures, .. books.Failures] };
                }

                List<string> unclean = [.. exitCodes
                    .Select((code, index) => (Code: code, Name: exitCodes.Length == 1 ? "the host" : $"host {index + 1}"))
                    .Where(host => host.Code != 0)
                    .Select(host => $"{host.Name} did not stop cleanly (exit code {host.Code?.ToString(CultureInfo.InvariantCulture) ?? "none"})")];
                if (unclean.Count > 0)
                {
                    verdict = verdict with { Holds = false, Failures = [.. unclean, .. verdict.Failures] };
                }

                if (!verdict.Holds)
                {
                    foreach (var host in hosts.Hosts)
                    {
                        await _log.WriteLineAsync($"Host {host.Number}'s last lines:{Environment.NewLine}{host.Process.RecentOutput}");
                    }
                }
            }
            else
            {
                var after = await RunningHostCheck.ReadBalancesAsync(endPoints[0].Host, endPoints[0].Port, fleet, cancellationToken);
                verdict = RunningHostCheck.Compare(balancesBefore!, after, expected);
            }

            // A failed check leaves the evidence behind.
            keepData |= !verdict.Holds;
            var measuredSeconds = statistics.MeasuredSeconds;
            var latency = statistics.Latency;
            var throughput = measuredSeconds > 0 ? latency.Count / measuredSeconds : 0;
            double? PerMeasuredSecond(TimeSpan? used) => used is { } cpu && measuredSeconds > 0 ? cpu.TotalSeconds / measuredSeconds : null;
            List<HostFigures> hostFigures = [.. started.Select((host, index) => new HostFigures(
                host.Number, host.Port, memory[index]?.ResidentBytes, memory[index]?.PeakResidentBytes, PerMeasuredSecond(hostCpuUntil[index] - hostCpuFrom[index])))];
            var report = new LoadReport
            {
                Command = settings.Command,
                StartedAt = startedAt,
                Machine = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}",
                Workload = settings.Workload.ToString(),
                Mode = settings.Mode,
                Terminals = fleet.TerminalIds.Count,
                Connections = connections,
                Storage = storage?.Description ?? "the running host's own",
                StorageProvider = storage?.Provider.ToString(),
                Hosts = hostFigures,
                WarmupSeconds = settings.Warmup.TotalSeconds,
                MeasuredSeconds = measuredSeconds,
                Throughput = throughput,
                Latency = latency,
                Timeouts = statistics.Timeouts,
                Errors = statistics.Errors,
                ErrorReasons = Snapshot(statistics.ErrorReasons),
                Answers = Snapshot(statistics.Answers),
                Events = Snapshot(statistics.Events),
                HostResidentBytes = SumOrNull(hostFigures.Select(host => host.ResidentBytes)),
                HostPeakResidentBytes = SumOrNull(hostFigures.Select(host => host.PeakResidentBytes)),
                HostCpuCores = hostFigures.Count > 0 && hostFigures.All(host => host.CpuCores is not null) ? hostFigures.Sum(host => host.CpuCores) : null,
                DatabaseCpuCores = PerMeasuredSecond(databaseCpuUntil - databaseCpuFrom),
                HarnessCpuCores = measuredSeconds > 0 ? (harnessCpuUntil - harnessCpuFrom).TotalSeconds / measuredSeconds : null,
                LoadAverageAtStart = loadAtStart,
                LoadAverageAtEnd = loadAtEnd,
                Correctness = verdict,
                Timeline = statistics.Timeline,
                NotOnUs = notOnUs?.Report(statistics, statistics.Answers, books!),
                ConsoleViewers = viewersResult,
            };

            if (settings.Ceilings)
            {
                report = await MeasureCeilingsAsync(report, context, cancellationToken);
            }

            var directory = settings.OutputDirectory ?? Path.Combine(
                "load-results", string.Create(CultureInfo.InvariantCulture, $"{startedAt:yyyyMMdd-HHmmss}-{settings.Workload.ToString().ToLowerInvariant()}-{fleet.TerminalIds.Count}"));
            await ReportWriter.WriteAsync(directory, report, chart: !settings.NoChart);
            await _log.WriteLineAsync();
            await _log.WriteLineAsync(ReportWriter.Markdown(report));
            await _log.WriteLineAsync($"Results written to {Path.GetFullPath(directory)}");
            return report;
        }
        finally
        {
            if (hosts is not null)
            {
                await hosts.DisposeAsync();
            }

            if (notOnUs is not null)
            {
                await notOnUs.DisposeAsync();
            }

            await DisposeStorageAsync(storage, dataDirectories, keepData);
            if (!keepData && Directory.Exists(runDirectory))
            {
                Directory.Delete(runDirectory, recursive: true);
            }
            else if (keepData && Directory.Exists(runDirectory))
            {
                await _log.WriteLineAsync($"Data directory kept: {runDirectory}");
            }
        }
    }

    /// <summary>
    /// Removes a throw-away database — unless the data is kept: then the run's KEK goes into every kept data directory
    /// as kek.key, so that <c>admin verify --data</c> can open the ledger, and a throw-away PostgreSQL is left stopped.
    /// </summary>
    private async Task DisposeStorageAsync(RunStorage? storage, List<string> dataDirectories, bool keepData)
    {
        if (storage is null)
        {
            return;
        }

        if (keepData)
        {
            foreach (var directory in dataDirectories)
            {
                await storage.WriteKeyFileAsync(directory);
            }

            storage.KeepDatabase();
        }

        await storage.DisposeAsync();
        if (storage.KeptDatabaseDirectory is { } kept)
        {
            await _log.WriteLineAsync($"PostgreSQL kept (stopped): {kept}; start it again with pg_ctl -D {Path.Combine(kept, "data")} start, as the user who owns it.");
        }
    }

    private static long? SumOrNull(IEnumerable<long?> values)
    {
        long? sum = null;
        foreach (var value in values)
        {
            if (value is { } number)
            {
                sum = (sum ?? 0) + number;
            }
        }

        return sum;
    }

    private static Dictionary<string, long> Snapshot(IReadOnlyDictionary<string, long> counts) => counts.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);

    private string ServerPath()
    {
        var path = settings.ServerPath ?? Path.Combine(AppContext.BaseDirectory, "SocketAtm.Server.dll");
        return File.Exists(path) ? Path.GetFullPath(path) : throw new FileNotFoundException($"The host is not at {path}; build src/Server or give --server.", path);
    }

    private List<string> HostArguments(string dataDirectory)
    {
        var connections = settings.Fleet.Terminals + 100;
        return
        [
            "--port", "0",
            "--ops-port", "0",
            "--data", dataDirectory,

            // Warnings only, except the lines that say where the host listens and serves its operations port; and no line per transaction.
            "--Serilog:MinimumLevel:Default=Warning",
            "--Serilog:MinimumLevel:Override:SocketAtm.Server.Transport.TerminalListener=Information",
            "--Serilog:MinimumLevel:Override:SocketAtm.Server.Operations.OperationsServer=Information",
            "--Serilog:MinimumLevel:Override:SocketAtm.Server.Sessions.MessageDispatcher=Warning",
            "--Listener:MaxConnections=" + Math.Max(10_000, connections).ToString(CultureInfo.InvariantCulture),

            // The harness opens up to 200 connections at once from one address, each without a signed-on terminal for a round trip.
            "--Listener:MaxUnsignedConnectionsPerAddress=1000",
            .. _routeArguments,
            .. settings.HostArguments,
        ];
    }

    private int HostMaxBatchSize()
    {
        foreach (var argument in settings.HostArguments)
        {
            const string Setting = "--Ledger:MaxBatchSize=";
            if (argument.StartsWith(Setting, StringComparison.OrdinalIgnoreCase)
                && int.TryParse(argument.AsSpan(Setting.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                return size;
            }
        }

        return DefaultMaxBatchSize;
    }

    private async Task<LoadReport> MeasureCeilingsAsync(LoadReport report, WorkloadContext context, CancellationToken cancellationToken)
    {
        // A ceiling bounds what a saturated host can do; an open loop at a set rate does not saturate it.
        if (settings.Rate is not null)
        {
            return report;
        }

        if (settings.Workload == Workload.Echo)
        {
            return report with { EchoCeiling = await MeasureEchoCeilingAsync(report, context, cancellationToken) };
        }

        if (settings.Storage == StorageProvider.PostgreSql)
        {
            return report with { StorageCeilingSkipped = StorageCeilingOnPostgreSql };
        }

        if (report.Correctness.Batches is not { } batches || settings.IsExternalHost)
        {
            return report;
        }

        var directory = Path.Combine(Path.GetTempPath(), "socketatm-ceiling-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            var maxBatch = HostMaxBatchSize();
            var batch = Math.Clamp((int)Math.Round(batches.RequestWeightedMean), 1, maxBatch);
            await _log.WriteLineAsync($"Storage ceiling: LiteDB durable batches of {batch} (the run's), then {maxBatch}, over {settings.Fleet.Cards:N0} cards, {settings.CeilingDuration.TotalSeconds:F0} s each.");
            var atRunBatch = StorageCeiling.MeasureWithdrawalsPerSecond(Path.Combine(directory, "run"), batch, settings.Fleet.Cards, settings.CeilingDuration);
            var atMaxBatch = StorageCeiling.MeasureWithdrawalsPerSecond(Path.Combine(directory, "max"), maxBatch, settings.Fleet.Cards, settings.CeilingDuration);
            var hostRate = report.MeasuredSeconds > 0 ? batches.Requests / report.MeasuredSeconds : 0;
            return report with
            {
                StorageCeiling = new StorageCeilingResult(batch, atRunBatch, maxBatch, atMaxBatch, hostRate, atRunBatch > 0 ? hostRate / atRunBatch : 0, MachineLoad.OneMinute()),
            };
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private async Task<EchoCeilingResult> MeasureEchoCeilingAsync(LoadReport report, WorkloadContext context, CancellationToken cancellationToken)
    {
        var harness = typeof(LoadRun).Assembly.Location;
        await using var server = ChildProcess.Start(harness, ["echo-server", "--port", "0"]);
        var port = await server.WaitUntilListeningAsync(HostStartTimeout);
        await _log.WriteLineAsync($"Echo ceiling: the bare echo server (pid {server.Id}) with the same {report.Connections:N0} connections and timing:");
        var statistics = new RunStatistics();
        var cpuFrom = new TimeSpan[1];
        var cpuUntil = new TimeSpan[1];
        var ceilingContext = context with { Statistics = statistics, Expected = new ExpectedLedger(0) };
        await using (var pool = await TerminalPool.OpenAsync(
            [new HostEndPoint("127.0.0.1", port)], ceilingContext, 1, bare: true, limits: null, spreadSources: false, _log, cancellationToken))
        {
            var driver = new LoadDriver(pool.Terminals, statistics, () => new ProcessSample(ProcessMemory.Read(server.Id)?.ResidentBytes, MachineLoad.OneMinute()), _log, starting =>
            {
                if (MachineLoad.ProcessCpu(server.Id) is { } cpu)
                {
                    (starting ? cpuFrom : cpuUntil)[0] = cpu;
                }
            });
            await driver.RunAsync(settings.Warmup, settings.Duration, settings.Rate, settings.RequestTimeout + TimeSpan.FromSeconds(30));
        }

        await server.StopAsync(HostStopTimeout);
        var latency = statistics.Latency;
        var throughput = statistics.MeasuredSeconds > 0 ? latency.Count / statistics.MeasuredSeconds : 0;
        var seconds = statistics.MeasuredSeconds;
        return new EchoCeilingResult(
            report.Connections,
            throughput,
            latency,
            throughput > 0 ? report.Throughput / throughput : 0,
            seconds > 0 ? (cpuUntil[0] - cpuFrom[0]).TotalSeconds / seconds : null,
            MachineLoad.OneMinute());
    }
}
