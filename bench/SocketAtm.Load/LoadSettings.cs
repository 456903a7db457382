using System.Globalization;
using SocketAtm.Load.Fleet;
using SocketAtm.Load.Workloads;
using SocketAtm.Server.Hosting;

namespace SocketAtm.Load;

/// <summary>One run of the harness, as the command line (or a test) describes it.</summary>
internal sealed record LoadSettings
{
    public Workload Workload { get; init; } = Workload.Mixed;

    public FleetSettings Fleet { get; init; } = new();

    /// <summary>Terminals sharing one connection (client-library terminals only).</summary>
    public int TerminalsPerConnection { get; init; } = 1;

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(3);

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Operations per second for an open loop; null for a closed loop.</summary>
    public double? Rate { get; init; }

    /// <summary>A running host to load instead of starting one; its fleet must already exist (see bench/README.md).</summary>
    public string? Host { get; init; }

    public int Port { get; init; } = 8583;

    /// <summary>The ledger of the hosts the harness starts: LiteDB (one host) or PostgreSQL (one or more).</summary>
    public StorageProvider Storage { get; init; } = StorageProvider.LiteDb;

    /// <summary>Hosts to start, all on the one PostgreSQL database; terminal i connects to host i mod Hosts.</summary>
    public int Hosts { get; init; } = 1;

    /// <summary>
    /// An existing, empty PostgreSQL database dedicated to the run (used as it is, never emptied); null for a throw-away
    /// PostgreSQL the harness starts and removes. Holds a password perhaps: never printed.
    /// </summary>
    public string? ConnectionString { get; init; }

    /// <summary>TLS towards the host (which must listen with Listener:Tls); null for plain TCP.</summary>
    public Client.TlsClientOptions? Tls { get; init; }

    /// <summary>SocketAtm.Server.dll to start; by default the one built beside the harness.</summary>
    public string? ServerPath { get; init; }

    /// <summary>
    /// Spread the connections to a started host over loopback source addresses when its Listener:MaxConnectionsPerAddress
    /// is below the fleet (see <see cref="Workloads.LoopbackSources"/>); off, every connection comes from 127.0.0.1.
    /// </summary>
    public bool SpreadSourceAddresses { get; init; } = true;

    /// <summary>Extra host settings, e.g. <c>--Ledger:MaxBatchSize=512</c>.</summary>
    public IReadOnlyList<string> HostArguments { get; init; } = [];

    public string? OutputDirectory { get; init; }

    public bool Ceilings { get; init; } = true;

    public TimeSpan CeilingDuration { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(15);

    public MixedShares Shares { get; init; } = new();

    /// <summary>
    /// Percent of the library terminals' withdrawals sent with the issuer simulator's card, which the hosts forward to a
    /// simulator the harness runs in its own process (0: none, no simulator).
    /// </summary>
    public double OffUsPercent { get; init; }

    /// <summary>With a not-on-us share: the measured seconds of each CPU phase (on-us only, then not-on-us only); zero skips them.</summary>
    public TimeSpan CpuPhaseDuration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Withdrawals per second of each CPU phase (open loop), so that both classes are measured at the same rate and
    /// batching; null for closed loops, each phase as fast as it goes.
    /// </summary>
    public double? CpuPhaseRate { get; init; }

    /// <summary>
    /// Console viewers held open on the hosts' operations ports during the measured window, with a /metrics scrape every
    /// second (see <see cref="Viewers.ConsoleViewerLoad"/>); 0 for none.
    /// </summary>
    public int ConsoleViewers { get; init; }

    /// <summary>Keep the host's data directory after the run (it is deleted otherwise).</summary>
    public bool KeepData { get; init; }

    /// <summary>Write no chart (results.md and results.json only).</summary>
    public bool NoChart { get; init; }

    /// <summary>How the run was asked for, for the report.</summary>
    public string Command { get; init; } = "SocketAtm.Load";

    public bool IsExternalHost => Host is not null;

    /// <summary>Why these settings cannot make a run, or null when they can.</summary>
    public string? Problem => this switch
    {
        { Hosts: < 1 } => "--hosts must be at least 1.",
        { Hosts: > 1, Storage: not StorageProvider.PostgreSql } => string.Create(
            CultureInfo.InvariantCulture,
            $"--hosts {Hosts} needs --storage postgresql: a LiteDB ledger is one host's own file, so several hosts need a shared database."),
        { ConnectionString: not null, Storage: not StorageProvider.PostgreSql } => "--connection-string needs --storage postgresql.",
        { Host: not null, Hosts: > 1 } or { Host: not null, Storage: StorageProvider.PostgreSql } =>
            "--hosts and --storage describe hosts the harness starts; a running host (--host) brings its own storage.",
        { OffUsPercent: < 0 or > 100 } => "--off-us is a percentage, 0 to 100.",
        { ConsoleViewers: < 0 } => "--console-viewers must be 0 or more.",
        { ConsoleViewers: > 0, Host: not null } =>
            "--console-viewers needs hosts the harness starts: it reads where their operations port listens from their log.",
        { CpuPhaseRate: <= 0 } => "--cpu-phase-rate must be above 0.",
        { OffUsPercent: > 0, Host: not null } =>
            "--off-us needs hosts the harness starts: it gives them a route to the issuer simulator it runs, and reads their books.",
        { OffUsPercent: > 0, Workload: not (Workload.Withdrawal or Workload.Mixed) } => "--off-us sends withdrawals: use --workload withdrawal or mixed.",
        _ => null,
    };

    public string Mode => Rate is { } rate ? $"open loop at {rate:N0}/s" : "closed loop";
}
