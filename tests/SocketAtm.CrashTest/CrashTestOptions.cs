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

    /// <summary>Where the host's data goes; a fresh temporary directory when null.</summary>
    public string? DataDirectory { get; init; }
}
