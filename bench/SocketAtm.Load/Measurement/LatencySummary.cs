using HdrHistogram;

namespace SocketAtm.Load.Measurement;

/// <summary>The latency distribution of the measured answers, in milliseconds, and the percentile curve for the chart.</summary>
internal sealed record LatencySummary(
    long Count,
    double MeanMilliseconds,
    double P50Milliseconds,
    double P90Milliseconds,
    double P99Milliseconds,
    double P999Milliseconds,
    double MaxMilliseconds,
    IReadOnlyList<PercentilePoint> Distribution)
{
    public static LatencySummary From(HistogramBase histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        if (histogram.TotalCount == 0)
        {
            return new LatencySummary(0, 0, 0, 0, 0, 0, 0, []);
        }

        var distribution = histogram.Percentiles(5)
            .Select(point => new PercentilePoint(point.Percentile, Milliseconds(point.ValueIteratedTo)))
            .ToList();
        return new LatencySummary(
            histogram.TotalCount,
            histogram.GetMean() / 1000.0,
            Milliseconds(histogram.GetValueAtPercentile(50)),
            Milliseconds(histogram.GetValueAtPercentile(90)),
            Milliseconds(histogram.GetValueAtPercentile(99)),
            Milliseconds(histogram.GetValueAtPercentile(99.9)),
            Milliseconds(histogram.GetMaxValue()),
            distribution);
    }

    /// <summary>Histogram values are microseconds.</summary>
    public static double Milliseconds(long microseconds) => microseconds / 1000.0;
}
