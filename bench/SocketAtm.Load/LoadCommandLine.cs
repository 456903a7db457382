using System.CommandLine;
using System.Globalization;
using SocketAtm.Load.Ceilings;
using SocketAtm.Load.Fleet;
using SocketAtm.Server.Hosting;

namespace SocketAtm.Load;

/// <summary>
/// <c>SocketAtm.Load [options]</c> runs the harness (exit code 0 when the correctness check holds, 1 when it does not,
/// 2 when the run could not be made); <c>SocketAtm.Load echo-server</c> is the bare echo server of the transport ceiling.
/// </summary>
internal static class LoadCommandLine
{
    public const int CorrectnessFailed = 1;
    public const int CouldNotRun = 2;

    private const string ConnectionStringVariable = "SOCKETATM_Storage__ConnectionString";

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var workload = new Option<Workload>("--workload") { Description = "echo, balance, withdrawal or mixed.", DefaultValueFactory = _ => Workload.Mixed };
        var terminals = new Option<int>("--terminals") { Description = "Simulated terminals.", DefaultValueFactory = _ => 100 };
        var perConnection = new Option<int>("--terminals-per-connection") { Description = "Client-library terminals sharing one connection.", DefaultValueFactory = _ => 1 };
        var cards = new Option<int>("--cards") { Description = "Cards in the fleet.", DefaultValueFactory = _ => 1000 };
        var duration = new Option<double>("--duration") { Description = "Measured seconds.", DefaultValueFactory = _ => 20 };
        var warmup = new Option<double>("--warmup") { Description = "Warm-up seconds before measuring.", DefaultValueFactory = _ => 3 };
        var rate = new Option<double?>("--rate") { Description = "Open loop: operations per second, latency from when each was due. Without it: closed loop." };
        var mac = new Option<bool>("--mac") { Description = "Terminals MAC their financial messages." };
        var host = new Option<string?>("--host") { Description = "Load a running host instead of starting one (its fleet must exist: see bench/README.md)." };
        var port = new Option<int>("--port") { Description = "Port of the running host.", DefaultValueFactory = _ => 8583 };
        var storage = new Option<StorageProvider>("--storage") { Description = "Ledger of the started hosts: litedb (one host) or postgresql.", DefaultValueFactory = _ => StorageProvider.LiteDb };
        var hosts = new Option<int>("--hosts") { Description = "Hosts to start on the one database (more than 1 needs --storage postgresql); terminal i connects to host i mod N.", DefaultValueFactory = _ => 1 };
        var connectionString = new Option<string?>("--connection-string")
        {
            Description = "An existing, empty PostgreSQL database for the run (default: " + ConnectionStringVariable + ", else a throw-away PostgreSQL 15 the harness starts and removes).",
        };
        var server = new Option<string?>("--server") { Description = "SocketAtm.Server.dll to start (default: the one built beside the harness)." };
        var hostSetting = new Option<string[]>("--host-setting") { Description = "A host setting, Section:Key=value (repeatable), e.g. Ledger:MaxBatchSize=512.", AllowMultipleArgumentsPerToken = true };
        var outputDirectory = new Option<string?>("--output") { Description = "Results directory (default: load-results/<time>-<workload>-<terminals>)." };
        var noCeilings = new Option<bool>("--no-ceilings") { Description = "Skip the echo and storage ceilings." };
        var ceilingDuration = new Option<double>("--ceiling-duration") { Description = "Seconds per storage-ceiling measurement.", DefaultValueFactory = _ => 5 };
        var timeout = new Option<double>("--timeout") { Description = "Seconds a terminal waits for an answer.", DefaultValueFactory = _ => 15 };
        var keepData = new Option<bool>("--keep-data") { Description = "Keep the host's data directory." };
        var noChart = new Option<bool>("--no-chart") { Description = "Write no latency.png." };
        var tls = new Option<bool>("--tls") { Description = "Connect with TLS (the host needs Listener:Tls: give its settings with --host-setting)." };
        var tlsCa = new Option<string?>("--tls-ca") { Description = "PEM file of the CA the host's certificate must chain to." };
        var tlsServerName = new Option<string?>("--tls-server-name") { Description = "Name the host's certificate must carry (default: the host address)." };
        var clientCert = new Option<string?>("--client-cert") { Description = "Client certificate for mutual TLS (PFX; password from SOCKETATM_CLIENT_CERT_PASSWORD)." };
        var terminalPrefix = new Option<string>("--terminal-prefix") { Description = "Terminal ids: prefix + number.", DefaultValueFactory = _ => "ATM" };
        var firstTerminal = new Option<int>("--first-terminal") { Description = "Number of the first terminal.", DefaultValueFactory = _ => 11 };
        var cardPrefix = new Option<string>("--card-prefix") { Description = "Leading PAN digits of the fleet's cards.", DefaultValueFactory = _ => "52" };
        var singleSource = new Option<bool>("--single-source-address")
        {
            Description = "Every connection from 127.0.0.1, even past the started host's Listener:MaxConnectionsPerAddress (default: spread over 127.0.0.2, 127.0.0.3, … as needed).",
        };
        var offUs = new Option<double>("--off-us")
        {
            Description = "Percent of the withdrawals sent with the issuer simulator's card: the harness runs the simulator and routes BIN 541333 to it, and compares the books at the end.",
            DefaultValueFactory = _ => 0,
        };
        var cpuPhase = new Option<double>("--cpu-phase") { Description = "With --off-us: measured seconds of each CPU phase (on-us only, then not-on-us only); 0 skips them.", DefaultValueFactory = _ => 5 };
        var cpuPhaseRate = new Option<double?>("--cpu-phase-rate") { Description = "With --off-us: withdrawals per second of each CPU phase (open loop, the same for both); without it, closed loops." };
        var consoleViewers = new Option<int>("--console-viewers")
        {
            Description = "Console viewers (GET /console/events) held open on the hosts' operations port during the measured window, plus a /metrics scrape a second; credential, if any, from "
                + Viewers.ConsoleViewerLoad.TokenVariable + ".",
            DefaultValueFactory = _ => 0,
        };
        var pin = new Option<string>("--pin") { Description = "PIN of every card.", DefaultValueFactory = _ => "1111" };

        var root = new RootCommand("SocketAtm load harness: many simulated terminals over real sockets, with a correctness check at the end.")
        {
            workload, terminals, perConnection, cards, duration, warmup, rate, mac, host, port, storage, hosts, connectionString, server, hostSetting, outputDirectory,
            noCeilings, ceilingDuration, timeout, keepData, noChart, terminalPrefix, firstTerminal, cardPrefix, pin, tls, tlsCa, tlsServerName, clientCert, singleSource,
            offUs, cpuPhase, cpuPhaseRate, consoleViewers,
        };
        root.SetAction(async (result, cancellation) =>
        {
            var settings = new LoadSettings
            {
                Workload = result.GetValue(workload),
                Fleet = new FleetSettings
                {
                    Terminals = result.GetValue(terminals),
                    Cards = result.GetValue(cards),
                    UseMac = result.GetValue(mac),
                    TerminalPrefix = result.GetRequiredValue(terminalPrefix),
                    FirstTerminal = result.GetValue(firstTerminal),
                    CardPrefix = result.GetRequiredValue(cardPrefix),
                    Pin = result.GetRequiredValue(pin),
                },
                TerminalsPerConnection = result.GetValue(perConnection),
                Duration = TimeSpan.FromSeconds(result.GetValue(duration)),
                Warmup = TimeSpan.FromSeconds(result.GetValue(warmup)),
                Rate = result.GetValue(rate),
                Host = result.GetValue(host),
                Port = result.GetValue(port),
                Storage = result.GetValue(storage),
                Hosts = result.GetValue(hosts),
                ConnectionString = result.GetValue(connectionString) ?? ConnectionStringFromEnvironment(result.GetValue(storage)),
                ServerPath = result.GetValue(server),
                HostArguments = [.. (result.GetValue(hostSetting) ?? []).Select(setting => "--" + setting)],
                SpreadSourceAddresses = !result.GetValue(singleSource),
                OutputDirectory = result.GetValue(outputDirectory),
                Ceilings = !result.GetValue(noCeilings),
                CeilingDuration = TimeSpan.FromSeconds(result.GetValue(ceilingDuration)),
                RequestTimeout = TimeSpan.FromSeconds(result.GetValue(timeout)),
                KeepData = result.GetValue(keepData),
                OffUsPercent = result.GetValue(offUs),
                CpuPhaseDuration = TimeSpan.FromSeconds(result.GetValue(cpuPhase)),
                CpuPhaseRate = result.GetValue(cpuPhaseRate),
                NoChart = result.GetValue(noChart),
                ConsoleViewers = result.GetValue(consoleViewers),
                Tls = result.GetValue(tls) || result.GetValue(tlsCa) is not null || result.GetValue(clientCert) is not null
                    ? new Client.TlsClientOptions
                    {
                        CertificateAuthorityPath = result.GetValue(tlsCa),
                        ServerName = result.GetValue(tlsServerName),
                        ClientCertificatePath = result.GetValue(clientCert),
                        ClientCertificatePassword = Environment.GetEnvironmentVariable("SOCKETATM_CLIENT_CERT_PASSWORD"),
                    }
                    : null,
                Command = ReportedCommand(args),
            };
            return await RunLoadAsync(settings, output, error, cancellation);
        });

        var echoPort = new Option<int>("--port") { Description = "Port to listen on; 0 = any free port (the bound one is printed).", DefaultValueFactory = _ => 0 };
        var echoServer = new Command("echo-server", "The bare length-prefixed echo server of the transport ceiling. Stops on Ctrl-C.") { echoPort };
        echoServer.SetAction((result, _) => BareEchoServer.RunAsync(result.GetValue(echoPort), output));
        root.Subcommands.Add(echoServer);

        var batch = new Option<int>("--batch") { Description = "Withdrawals per durable commit.", DefaultValueFactory = _ => 256 };
        var ceilingCards = new Option<int>("--cards") { Description = "Cards (and accounts) the withdrawals spread over.", DefaultValueFactory = _ => 10_000 };
        var seconds = new Option<double>("--duration") { Description = "Seconds to measure.", DefaultValueFactory = _ => 5 };
        var storageCeiling = new Command("storage-ceiling", "LiteDB's durable withdrawal rate alone (the storage ceiling), in a temporary directory.") { batch, ceilingCards, seconds };
        storageCeiling.SetAction(async (result, _) =>
        {
            var directory = Path.Combine(Path.GetTempPath(), "socketatm-ceiling-" + Guid.NewGuid().ToString("N")[..12]);
            try
            {
                var rate = StorageCeiling.MeasureWithdrawalsPerSecond(directory, result.GetValue(batch), result.GetValue(ceilingCards), TimeSpan.FromSeconds(result.GetValue(seconds)));
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{rate:N0} durable withdrawals/s in batches of {result.GetValue(batch)} over {result.GetValue(ceilingCards):N0} cards"));
                return 0;
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        });
        root.Subcommands.Add(storageCeiling);

        return root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
    }

    public static async Task<int> RunLoadAsync(LoadSettings settings, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Problem is { } problem)
        {
            await error.WriteLineAsync("socketatm load: " + problem);
            return CouldNotRun;
        }

        try
        {
            var report = await new LoadRun(settings, output).RunAsync(cancellationToken);
            if (!report.Correctness.Holds)
            {
                await error.WriteLineAsync("CORRECTNESS CHECK FAILED:");
                foreach (var failure in report.Correctness.Failures)
                {
                    await error.WriteLineAsync("  " + failure);
                }

                return CorrectnessFailed;
            }

            return 0;
        }
        catch (Exception exception) when (exception is InvalidOperationException or IOException or TimeoutException or ArgumentException
            or System.Net.Sockets.SocketException or OperationCanceledException)
        {
            await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"socketatm load: the run could not be made: {exception.Message}"));
            return CouldNotRun;
        }
    }

    /// <summary>The host's own variable, so that a shell set up for the hosts (README.md, "Scaling out") serves the harness too.</summary>
    private static string? ConnectionStringFromEnvironment(StorageProvider storage) =>
        storage == StorageProvider.PostgreSql && Environment.GetEnvironmentVariable(ConnectionStringVariable) is { Length: > 0 } value ? value : null;

    /// <summary>The command as the report shows it: a connection string may hold a password, so its value is left out.</summary>
    internal static string ReportedCommand(string[] args) => "SocketAtm.Load " + string.Join(' ', WithoutConnectionString(args));

    private static IEnumerable<string> WithoutConnectionString(string[] args)
    {
        const string Option = "--connection-string";
        for (var index = 0; index < args.Length; index++)
        {
            if (args[index] == Option && index + 1 < args.Length)
            {
                yield return Option;
                yield return "<not shown>";
                index++;
            }
            else
            {
                yield return args[index].StartsWith(Option + "=", StringComparison.Ordinal) ? Option + "=<not shown>" : args[index];
            }
        }
    }
}
