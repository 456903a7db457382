namespace SocketAtm.IssuerSim.Faults;

/// <summary>
/// The faults the simulator injects into its answers and connections. Answer faults apply to financial answers (0110,
/// 0210, 0230, 0430) only, so a link still signs on and echoes; every one of them happens after the request's effect is booked,
/// as with a real issuer whose answer was lost — which is why the acquirer must reverse.
/// </summary>
public sealed class FaultOptions
{
    /// <summary>The late answers' default delay: past the acquirer's default 8 s budget for one answer.</summary>
    public static readonly TimeSpan DefaultLateBy = TimeSpan.FromSeconds(10);

    /// <summary>Probability (0–1) of answering nothing.</summary>
    public double DropProbability { get; init; }

    /// <summary>Every financial answer is written this long after its request was decided.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Probability (0–1) of answering after <see cref="LateBy"/> instead of at once.</summary>
    public double LateProbability { get; init; }

    /// <summary>How late a late answer is.</summary>
    public TimeSpan LateBy { get; init; } = DefaultLateBy;

    /// <summary>Probability (0–1) of writing the answer twice.</summary>
    public double DuplicateProbability { get; init; }

    /// <summary>Hold every other answer on a connection and write it after the next one.</summary>
    public bool Reorder { get; init; }

    /// <summary>A held answer goes out after this long even when no next answer came, so a lone request is still answered.</summary>
    public TimeSpan ReorderHoldLimit { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Close every open connection this often (none when null).</summary>
    public TimeSpan? ResetEvery { get; init; }

    /// <summary>Refuse connections (nothing listens on the port) for this long at start and after every reset.</summary>
    public TimeSpan RefuseFor { get; init; }

    /// <summary>What a bad answer looks like; <see cref="BadAnswerMode.None"/> sends none.</summary>
    public BadAnswerMode BadAnswers { get; init; }

    /// <summary>Probability (0–1) that a financial answer is a bad one, when <see cref="BadAnswers"/> is set.</summary>
    public double BadAnswerProbability { get; init; } = 1;

    /// <summary>Seed of the faults' random choices: the same seed and the same traffic give the same faults. Null: random.</summary>
    public int? Seed { get; init; }

    /// <summary>The first thing wrong with these options as one readable line, or null.</summary>
    public string? Problem()
    {
        foreach (var (name, value) in new[] { ("--drop", DropProbability), ("--late", LateProbability), ("--duplicate", DuplicateProbability), ("--bad-answer-rate", BadAnswerProbability) })
        {
            if (double.IsNaN(value) || value is < 0 or > 1)
            {
                return $"{name} is a probability between 0 and 1, not {value}.";
            }
        }

        if (Delay < TimeSpan.Zero || LateBy < TimeSpan.Zero || RefuseFor < TimeSpan.Zero || ReorderHoldLimit < TimeSpan.Zero)
        {
            return "--delay, --late-by and --refuse-for cannot be negative.";
        }

        if (ResetEvery is { } every && every <= TimeSpan.Zero)
        {
            return "--reset-every must be a positive duration.";
        }

        return null;
    }
}
