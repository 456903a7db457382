namespace SocketAtm.Load.Reporting;

/// <summary>
/// LiteDB's durable withdrawal rate at the batch size the run's group commits averaged, and at the largest batch the
/// host allows; <see cref="HostRatio"/> is the run's durable requests per second over the first.
/// </summary>
internal sealed record StorageCeilingResult(
    int BatchSize,
    double WithdrawalsPerSecond,
    int MaxBatchSize,
    double WithdrawalsPerSecondAtMaxBatch,
    double HostDurableRequestsPerSecond,
    double HostRatio,
    double? LoadAverage);
