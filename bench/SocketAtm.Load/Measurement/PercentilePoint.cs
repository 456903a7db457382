namespace SocketAtm.Load.Measurement;

/// <summary>One point of the latency distribution: this percentile of answers came within this many milliseconds.</summary>
internal sealed record PercentilePoint(double Percentile, double Milliseconds);
