namespace SocketAtm.CrashTest;

/// <summary>How hard the crash test pushes: how many kills, how many terminals, how long between kills.</summary>
public sealed record CrashTestOptions
{
    /// <summary>Kill-and-restart rounds.</summary>
    public int Rounds { get; init; } = 20;

    /// <summary>Terminals driving the workload, each on its own connection.</summary>
    public int Terminals { get; init; } = 24;

    /// <summary>Cards the terminals share (contention on accounts is part of the test).</summary>
    public int Cards { get; init; } = 8;

    /// <summary>Longest run of traffic between two kills; each round draws a time up to this.</summary>
    public TimeSpan MaxRoundLength { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Seed of the random choices, printed so that a failing run can be replayed.</summary>
    public int Seed { get; init; } = Environment.TickCount;

    /// <summary>Where the hosts' data goes; a fresh temporary directory when null.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>
    /// Hosts serving the terminals at once. One host keeps its books in LiteDB unless <see cref="ConnectionString"/> is
    /// given; several hosts share the PostgreSQL database it names, and each round kills one of them while its terminals
    /// fail over to the others.
    /// </summary>
    public int Hosts { get; init; } = 1;

    /// <summary>An empty PostgreSQL database for the books (required for several hosts); null for LiteDB.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>
    /// Crashes the PostgreSQL server the hosts share and starts it again after the given downtime; when given, every
    /// third round does that instead of killing a host (the hosts ride it out within Storage:RetryWindow).
    /// </summary>
    public Func<TimeSpan, Task>? CrashDatabaseAsync { get; init; }

    /// <summary>Throws when the options cannot make a run.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Rounds, 0, nameof(Rounds));
        ArgumentOutOfRangeException.ThrowIfLessThan(Terminals, 1, nameof(Terminals));
        ArgumentOutOfRangeException.ThrowIfLessThan(Cards, 1, nameof(Cards));
        ArgumentOutOfRangeException.ThrowIfLessThan(Hosts, 1, nameof(Hosts));
        if (MaxRoundLength < TimeSpan.FromMilliseconds(300))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRoundLength), MaxRoundLength, "A round needs at least 300 ms of traffic.");
        }

        if (CrashDatabaseAsync is not null && string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new ArgumentException("Crashing the database needs the books in PostgreSQL: give its connection string.", nameof(ConnectionString));
        }

        if (Hosts > 1 && string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new ArgumentException("Several hosts share one PostgreSQL database: give its connection string.", nameof(ConnectionString));
        }
    }
}
