using SocketAtm.IssuerSim.Faults;

namespace SocketAtm.EndToEnd.Tests.Acquiring;

/// <summary>How an <see cref="AcquirerHarness"/> is set up: the issuer's faults, the route, the host's store.</summary>
internal sealed record AcquirerSetup
{
    public FaultOptions Faults { get; init; } = new();

    /// <summary>The route's budget for one issuer answer.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    public int Connections { get; init; } = 1;

    /// <summary>Put a <see cref="TcpRelay"/> in front of the issuer as the route's first endpoint, the issuer itself second.</summary>
    public bool FailOverRelay { get; init; }

    /// <summary>A PostgreSQL database for the host's ledger (with a KEK of its own); null: LiteDB in the host's data directory.</summary>
    public string? PostgreSqlConnectionString { get; init; }

    /// <summary>More host settings, after the route's.</summary>
    public IReadOnlyList<string> HostArgs { get; init; } = [];
}
