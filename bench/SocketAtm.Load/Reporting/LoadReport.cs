using SocketAtm.Load.Correctness;
using SocketAtm.Load.Measurement;

namespace SocketAtm.Load.Reporting;

/// <summary>Everything one run measured and checked; written as results.json, results.md and latency.png.</summary>
internal sealed record LoadReport
{
    public required string Command { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required string Machine { get; init; }

    public required string Workload { get; init; }

    /// <summary>"closed loop" or "open loop at N/s".</summary>
    public required string Mode { get; init; }

    public required int Terminals { get; init; }

    public required int Connections { get; init; }

    /// <summary>Where the ledger was, for people: "LiteDB", or PostgreSQL and its connection string without the password.</summary>
    public required string Storage { get; init; }

    /// <summary>LiteDb or PostgreSql; null against a running host (the harness does not know its storage).</summary>
    public string? StorageProvider { get; init; }

    /// <summary>The hosts the harness started, one entry each (empty against a running host).</summary>
    public IReadOnlyList<HostFigures> Hosts { get; init; } = [];

    public required double WarmupSeconds { get; init; }

    public required double MeasuredSeconds { get; init; }

    /// <summary>Answers per second in the measured window (all request kinds of the workload).</summary>
    public required double Throughput { get; init; }

    public required LatencySummary Latency { get; init; }

    public required long Timeouts { get; init; }

    public required long Errors { get; init; }

    public required IReadOnlyDictionary<string, long> ErrorReasons { get; init; }

    public required IReadOnlyDictionary<string, long> Answers { get; init; }

    public required IReadOnlyDictionary<string, long> Events { get; init; }

    /// <summary>The host's resident memory when the load ended (VmRSS; all hosts' together), null against a host the harness did not start.</summary>
    public long? HostResidentBytes { get; init; }

    /// <summary>The host's peak resident memory over its life (VmHWM; the sum of all hosts' peaks).</summary>
    public long? HostPeakResidentBytes { get; init; }

    /// <summary>CPU seconds the host (all hosts together) used per measured second (2.0 = both cores).</summary>
    public double? HostCpuCores { get; init; }

    /// <summary>
    /// CPU seconds the PostgreSQL server (the postmaster and every backend) used per measured second; null on LiteDB and
    /// when the harness did not start the database itself.
    /// </summary>
    public double? DatabaseCpuCores { get; init; }

    /// <summary>CPU seconds the harness used per measured second.</summary>
    public double? HarnessCpuCores { get; init; }

    public double? LoadAverageAtStart { get; init; }

    public double? LoadAverageAtEnd { get; init; }

    public EchoCeilingResult? EchoCeiling { get; init; }

    public StorageCeilingResult? StorageCeiling { get; init; }

    /// <summary>Why the storage ceiling was not measured although ceilings were asked for (it measures LiteDB alone).</summary>
    public string? StorageCeilingSkipped { get; init; }

    public required CorrectnessVerdict Correctness { get; init; }

    public required IReadOnlyList<TimelinePoint> Timeline { get; init; }

    /// <summary>With a not-on-us share (<c>--off-us</c>): on-us against forwarded figures, the CPU phases and the books.</summary>
    public Acquiring.NotOnUsReport? NotOnUs { get; init; }

    /// <summary>With console viewers (<c>--console-viewers</c>): what they and the metrics scraper got.</summary>
    public Viewers.ConsoleViewersResult? ConsoleViewers { get; init; }
}
