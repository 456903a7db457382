namespace SocketAtm.Load.Acquiring;

/// <summary>The not-on-us side of a run (<c>--off-us</c>): the figures per traffic class, the CPU phases and the books.</summary>
internal sealed record NotOnUsReport
{
    /// <summary>Of the library terminals' withdrawals in the mixed window, the percentage sent with the simulator's card.</summary>
    public required double SharePercent { get; init; }

    public required string Route { get; init; }

    public required TrafficFigures OnUs { get; init; }

    public required TrafficFigures Forwarded { get; init; }

    /// <summary>Host CPU per request of each class, measured in phases of one class each after the mixed window.</summary>
    public IReadOnlyList<CpuPhaseResult> CpuPhases { get; init; } = [];

    /// <summary>How the CPU phases were driven: "closed loop" or "open loop at N/s"; null when they did not run.</summary>
    public string? CpuPhaseMode { get; init; }

    /// <summary>Whether the simulator's book came to rest (every owed reversal arrived) within the drain wait.</summary>
    public required bool Drained { get; init; }

    public required BooksResult Books { get; init; }
}

/// <summary>One traffic class in the mixed measured window: throughput, latency and answers by kind and code.</summary>
internal sealed record TrafficFigures(
    long Answers, double Throughput, double P50Milliseconds, double P99Milliseconds, IReadOnlyDictionary<string, long> AnswersByKindAndCode);
