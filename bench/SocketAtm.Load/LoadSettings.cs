using SocketAtm.Load.Fleet;
using SocketAtm.Load.Workloads;

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

    /// <summary>TLS towards the host (which must listen with Listener:Tls); null for plain TCP.</summary>
    public Client.TlsClientOptions? Tls { get; init; }

    /// <summary>SocketAtm.Server.dll to start; by default the one built beside the harness.</summary>
    public string? ServerPath { get; init; }

    /// <summary>Extra host settings, e.g. <c>--Ledger:MaxBatchSize=512</c>.</summary>
    public IReadOnlyList<string> HostArguments { get; init; } = [];

    public string? OutputDirectory { get; init; }

    public bool Ceilings { get; init; } = true;

    public TimeSpan CeilingDuration { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(15);

    public MixedShares Shares { get; init; } = new();

    /// <summary>Keep the host's data directory after the run (it is deleted otherwise).</summary>
    public bool KeepData { get; init; }

    /// <summary>Write no chart (results.md and results.json only).</summary>
    public bool NoChart { get; init; }

    /// <summary>How the run was asked for, for the report.</summary>
    public string Command { get; init; } = "SocketAtm.Load";

    public bool IsExternalHost => Host is not null;

    public string Mode => Rate is { } rate ? $"open loop at {rate:N0}/s" : "closed loop";
}
