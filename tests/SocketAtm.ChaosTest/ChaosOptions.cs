namespace SocketAtm.ChaosTest;

/// <summary>How hard the chaos test pushes: hosts, terminals, fault phases and kills, the blackout, and what it asserts.</summary>
public sealed record ChaosOptions
{
    /// <summary>Seed of every random choice (traffic, fault phases, kill moments), printed so that a run can be replayed.</summary>
    public int Seed { get; init; } = Environment.TickCount;

    /// <summary>Hosts serving the terminals; several share the PostgreSQL database <see cref="ConnectionString"/> names.</summary>
    public int Hosts { get; init; } = 1;

    /// <summary>An empty PostgreSQL database for several hosts; null for one host on LiteDB.</summary>
    public string? ConnectionString { get; init; }

    public int Terminals { get; init; } = 12;

    /// <summary>On-us cards the terminals share (the not-on-us card is the issuer simulator's rich demo card).</summary>
    public int Cards { get; init; } = 4;

    /// <summary>Not-on-us withdrawals per second at most, over all terminals (<see cref="NotOnUsPace"/>).</summary>
    public double NotOnUsPerSecond { get; init; } = 4;

    /// <summary>Fault phases, each ending with one host SIGKILLed and restarted.</summary>
    public int Kills { get; init; } = 8;

    /// <summary>Longest fault phase; each draws a length between a third of this and this.</summary>
    public TimeSpan MaxPhaseLength { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long on-us latency is measured before the blackout, with no fault.</summary>
    public TimeSpan BaselineLength { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>How long the issuer answers nothing: several route timeouts, so the breaker opens.</summary>
    public TimeSpan BlackoutLength { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>How much higher (as a share) on-us p99 may be during the blackout than before it: the 10 %.</summary>
    public double P99Tolerance { get; init; } = 0.10;

    /// <summary>Whether check 5 (on-us p99 during the blackout) is a difference that fails the run, or only reported.</summary>
    public bool AssertLatency { get; init; } = true;

    /// <summary>Stand in for the issuer while its route is unavailable (Routing:Routes:0:StandIn:*; the test PVK in an owner-only file).</summary>
    public bool StandIn { get; init; }

    /// <summary>The longest wait for store-and-forward to drain once the faults stop.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Where the hosts' and the issuer's data go; a fresh temporary directory when null (removed after a pass).</summary>
    public string? DataDirectory { get; init; }

    public void Validate()
    {
        if (Hosts is < 1 or > 2)
        {
            throw new ArgumentOutOfRangeException(nameof(Hosts), Hosts, "The chaos test runs one or two hosts.");
        }

        if (Hosts > 1 && string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new ArgumentException("Two hosts share one PostgreSQL database: give its connection string.", nameof(ConnectionString));
        }

        if (Terminals is < 1 or > 99 || Cards < 1 || Kills < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Terminals), "Give 1–99 terminals, at least one card and at least one kill.");
        }

        if (NotOnUsPerSecond is <= 0 or > 50 || P99Tolerance < 0 || double.IsNaN(NotOnUsPerSecond) || double.IsNaN(P99Tolerance))
        {
            throw new ArgumentOutOfRangeException(nameof(NotOnUsPerSecond), "Give 0–50 not-on-us withdrawals a second, and a p99 tolerance not negative.");
        }

        if (MaxPhaseLength < TimeSpan.FromMilliseconds(600) || BaselineLength < TimeSpan.FromSeconds(1) || BlackoutLength < ChaosRoute.BlackoutAtLeast)
        {
            throw new ArgumentOutOfRangeException(
                nameof(BlackoutLength), $"A phase needs 600 ms, the baseline 1 s, and the blackout {ChaosRoute.BlackoutAtLeast.TotalSeconds:0.#} s to open the breaker.");
        }

    }
}
