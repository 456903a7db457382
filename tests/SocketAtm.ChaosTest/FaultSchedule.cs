using SocketAtm.IssuerSim.Faults;

namespace SocketAtm.ChaosTest;

/// <summary>
/// The issuer's faults phase by phase, drawn from the run's seed: every phase drops, delays past the route's budget,
/// duplicates, reorders and resets in its own measure, so that over a run each kind meets the others and the kills.
/// </summary>
internal static class FaultSchedule
{
    /// <summary>Answers nothing: the route's requests time out until its breaker opens.</summary>
    public static FaultOptions Blackout(int seed) => new() { DropProbability = 1, Seed = seed };

    /// <summary>The faults of one phase.</summary>
    public static FaultOptions Phase(Random random) => new()
    {
        DropProbability = random.Next(0, 16) / 100.0,
        LateProbability = random.Next(0, 11) / 100.0,
        LateBy = ChaosRoute.LateBy,
        DuplicateProbability = random.Next(0, 21) / 100.0,
        Reorder = random.Next(2) == 0,
        ReorderHoldLimit = TimeSpan.FromMilliseconds(300),
        ResetEvery = TimeSpan.FromMilliseconds(random.Next(1500, 4000)),
        RefuseFor = TimeSpan.FromMilliseconds(random.Next(0, 300)),
        Seed = random.Next(),
    };

    /// <summary>One line for the log: what a phase injects.</summary>
    public static string Describe(FaultOptions faults) => faults.DropProbability >= 1
        ? "every answer dropped"
        : $"drop {faults.DropProbability:P0}, late {faults.LateProbability:P0} by {faults.LateBy.TotalMilliseconds:0} ms, duplicate {faults.DuplicateProbability:P0}, "
          + $"{(faults.Reorder ? "reorder, " : string.Empty)}reset every {faults.ResetEvery?.TotalMilliseconds:0} ms refusing {faults.RefuseFor.TotalMilliseconds:0} ms";
}
