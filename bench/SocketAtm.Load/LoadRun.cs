using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using SocketAtm.Load.Ceilings;
using SocketAtm.Load.Correctness;
using SocketAtm.Load.Fleet;
using SocketAtm.Load.Hosting;
using SocketAtm.Load.Measurement;
using SocketAtm.Load.Reporting;
using SocketAtm.Load.Workloads;

namespace SocketAtm.Load;

/// <summary>
/// One run, start to finish: provision the fleet into a fresh data directory and start the host as a process of its own
/// (or use a running one), connect and sign on every terminal, warm up, measure, wait for every reversal, stop the host
/// gracefully, check correctness against its ledger, measure the ceilings, and write the results.
/// </summary>
internal sealed class LoadRun(LoadSettings settings, TextWriter log)
{
    private const int DefaultMaxBatchSize = 256;
    private static readonly TimeSpan HostStartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan HostStopTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ReversalWait = TimeSpan.FromSeconds(60);

    // Terminals connecting in parallel report progress too; a test's StringWriter is not thread-safe.
    private readonly TextWriter _log = TextWriter.Synchronized(log);

    public async Task<LoadReport> RunAsync(CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var loadAtStart = MachineLoad.OneMinute();
        var fleet = new Fleet.Fleet(settings.Fleet);
        var statistics = new RunStatistics();
        var expected = new ExpectedLedger(fleet.Pans.Count);
        var context = new WorkloadContext(settings.Workload, fleet, statistics, expected, settings.Shares, settings.RequestTimeout, settings.Tls);
        var dataDirectory = Path.Combine(Path.GetTempPath(), "socketatm-load-" + Guid.NewGuid().ToString("N")[..12]);
        ChildProcess? host = null;
        var keepData = settings.KeepData;
        try
        {
            string hostName;
            int port;
            long[]? balancesBefore = null;
            if (settings.Host is { } external)
            {
                (hostName, port) = (external, settings.Port);
                await _log.WriteLineAsync($"Using the running host at {hostName}:{port}; reading {fleet.Pans.Count:N0} opening balances.");
                balancesBefore = await RunningHostCheck.ReadBalancesAsync(hostName, port, fleet, cancellationToken);
            }
            else
            {
                var server = ServerPath();
                await _log.WriteLineAsync($"Provisioning {fleet.TerminalIds.Count:N0} terminals and {fleet.Pans.Count:N0} cards in {dataDirectory}");
                await FleetProvisioner.ProvisionAsync(server, dataDirectory, settings.Fleet, _log);
                host = ChildProcess.Start(server, HostArguments(dataDirectory));
                (hostName, port) = ("127.0.0.1", await host.WaitUntilListeningAsync(HostStartTimeout));
                await _log.WriteLineAsync($"Host started (pid {host.Id}) on port {port}.");
            }

            var hostProcess = host;
            ProcessSample SampleHost() => new(hostProcess is null ? null : ProcessMemory.Read(hostProcess.Id)?.ResidentBytes, MachineLoad.OneMinute());

            await _log.WriteLineAsync($"Connecting {fleet.TerminalIds.Count:N0} terminals ({settings.Workload}, {settings.Mode}).");
            TimeSpan? hostCpuFrom = null;
            TimeSpan? hostCpuUntil = null;
            TimeSpan harnessCpuFrom = default;
            TimeSpan harnessCpuUntil = default;
            LoadDriver driver;
            int connections;
            await using (var pool = await TerminalPool.OpenAsync(hostName, port, context, settings.TerminalsPerConnection, bare: false, _log, cancellationToken))
            {
                connections = pool.Connections;
                await _log.WriteLineAsync($"{pool.Terminals.Count:N0} terminals signed on over {connections:N0} connections. Warm-up {settings.Warmup.TotalSeconds:F0} s, then {settings.Duration.TotalSeconds:F0} s measured (w = warm-up):");
                driver = new LoadDriver(pool.Terminals, statistics, SampleHost, _log, starting =>
                {
                    var cpu = hostProcess is null ? null : MachineLoad.ProcessCpu(hostProcess.Id);
                    var own = Process.GetCurrentProcess().TotalProcessorTime;
                    if (starting)
                    {
                        (hostCpuFrom, harnessCpuFrom) = (cpu, own);
                    }
                    else
                    {
                        (hostCpuUntil, harnessCpuUntil) = (cpu, own);
                    }
                });
                await driver.RunAsync(settings.Warmup, settings.Duration, settings.Rate, settings.RequestTimeout + TimeSpan.FromSeconds(30));
                await _log.WriteLineAsync("Load stopped; waiting for outstanding reversals.");
                if (!await expected.WaitForReversalsAsync(ReversalWait))
                {
                    statistics.RecordError("reversals still outstanding after the wait");
                }
            }

            var memory = host is null ? null : ProcessMemory.Read(host.Id);
            var loadAtEnd = MachineLoad.OneMinute();
            CorrectnessVerdict verdict;
            if (host is not null)
            {
                var exitCode = await host.StopAsync(HostStopTimeout);
                await _log.WriteLineAsync($"Host stopped with exit code {exitCode?.ToString(CultureInfo.InvariantCulture) ?? "none (killed)"}; checking the ledger.");
                verdict = await LedgerCheck.RunAsync(dataDirectory, fleet, expected, driver.MeasuredWindow, cancellationToken);
                if (exitCode != 0)
                {
                    verdict = verdict with { Holds = false, Failures = [$"the host did not stop cleanly (exit code {exitCode?.ToString(CultureInfo.InvariantCulture) ?? "none"})", .. verdict.Failures] };
                }
            }
            else
            {
                var after = await RunningHostCheck.ReadBalancesAsync(hostName, port, fleet, cancellationToken);
                verdict = RunningHostCheck.Compare(balancesBefore!, after, expected);
            }

            // A failed check leaves the evidence behind.
            keepData |= !verdict.Holds;
            var measuredSeconds = statistics.MeasuredSeconds;
            var latency = statistics.Latency;
            var throughput = measuredSeconds > 0 ? latency.Count / measuredSeconds : 0;
            var report = new LoadReport
            {
                Command = settings.Command,
                StartedAt = startedAt,
                Machine = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}",
                Workload = settings.Workload.ToString(),
                Mode = settings.Mode,
                Terminals = fleet.TerminalIds.Count,
                Connections = connections,
                WarmupSeconds = settings.Warmup.TotalSeconds,
                MeasuredSeconds = measuredSeconds,
                Throughput = throughput,
                Latency = latency,
                Timeouts = statistics.Timeouts,
                Errors = statistics.Errors,
                ErrorReasons = Snapshot(statistics.ErrorReasons),
                Answers = Snapshot(statistics.Answers),
                Events = Snapshot(statistics.Events),
                HostResidentBytes = memory?.ResidentBytes,
                HostPeakResidentBytes = memory?.PeakResidentBytes,
                HostCpuCores = hostCpuUntil - hostCpuFrom is { } hostCpu && measuredSeconds > 0 ? hostCpu.TotalSeconds / measuredSeconds : null,
                HarnessCpuCores = measuredSeconds > 0 ? (harnessCpuUntil - harnessCpuFrom).TotalSeconds / measuredSeconds : null,
                LoadAverageAtStart = loadAtStart,
                LoadAverageAtEnd = loadAtEnd,
                Correctness = verdict,
                Timeline = statistics.Timeline,
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
            if (host is not null)
            {
                await host.DisposeAsync();
            }

            if (!keepData && Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            else if (keepData && Directory.Exists(dataDirectory))
            {
                await _log.WriteLineAsync($"Data directory kept: {dataDirectory}");
            }
        }
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
            "--data", dataDirectory,

            // Warnings only, except the one line that says where the host listens; and no line per transaction.
            "--Serilog:MinimumLevel:Default=Warning",
            "--Serilog:MinimumLevel:Override:SocketAtm.Server.Transport.TerminalListener=Information",
            "--Serilog:MinimumLevel:Override:SocketAtm.Server.Sessions.MessageDispatcher=Warning",
            "--Listener:MaxConnections=" + Math.Max(10_000, connections).ToString(CultureInfo.InvariantCulture),
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
        await using (var pool = await TerminalPool.OpenAsync("127.0.0.1", port, ceilingContext, 1, bare: true, _log, cancellationToken))
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
