namespace SocketAtm.IssuerSim.Faults;

/// <summary>
/// Draws each financial answer's fate from one random source, seeded by <see cref="FaultOptions.Seed"/>: every answer
/// consumes the same number of draws whatever the outcome, so the same seed and the same traffic give the same faults.
/// </summary>
internal sealed class FaultPlan
{
    private readonly FaultOptions _options;
    private readonly Random _random;
    private readonly Lock _gate = new();

    public FaultPlan(FaultOptions options)
    {
        _options = options;
        _random = options.Seed is { } seed ? new Random(seed) : new Random();
    }

    public FaultOptions Options => _options;

    /// <summary>The fate of the next financial answer.</summary>
    public AnswerFate Next()
    {
        lock (_gate)
        {
            var drop = Roll(_options.DropProbability);
            var late = Roll(_options.LateProbability);
            var duplicate = Roll(_options.DuplicateProbability);
            var bad = Roll(_options.BadAnswerProbability) && _options.BadAnswers != BadAnswerMode.None;
            return new AnswerFate(drop, late ? _options.LateBy : _options.Delay, duplicate, bad ? _options.BadAnswers : BadAnswerMode.None);
        }
    }

    // NextDouble is in [0, 1): a probability of 0 never fires, 1 always does.
    private bool Roll(double probability) => _random.NextDouble() < probability;
}

/// <summary>What happens to one answer: dropped, written after a delay, written twice, or replaced by a bad one.</summary>
internal readonly record struct AnswerFate(bool Drop, TimeSpan Delay, bool Duplicate, BadAnswerMode Bad);
