namespace SocketAtm.Load.Measurement;

/// <summary>One interval of the run (about a second): answers per second and their latency, and the host's state.</summary>
/// <param name="ElapsedSeconds">Seconds since the load started, at the end of the interval.</param>
/// <param name="Measured">False for warm-up intervals, which are left out of the totals.</param>
internal sealed record TimelinePoint(
    double ElapsedSeconds,
    bool Measured,
    long Answers,
    double AnswersPerSecond,
    double P50Milliseconds,
    double P99Milliseconds,
    double MaxMilliseconds,
    long Timeouts,
    long Errors,
    long? HostResidentBytes,
    double? LoadAverage);
