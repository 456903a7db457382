using ScottPlot;
using SocketAtm.Load.Measurement;

namespace SocketAtm.Load.Reporting;

/// <summary>
/// latency.png: above, throughput and latency (p50, p99, max per interval) over the run, warm-up included and marked;
/// below, the measured latency distribution against percentile on the usual HdrHistogram scale, where each step to
/// the right is another nine (90 %, 99 %, 99.9 %, …).
/// </summary>
internal static class ChartWriter
{
    public static void Write(string path, LoadReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var overTime = new Plot();
        var timeline = report.Timeline;
        double[] seconds = [.. timeline.Select(point => point.ElapsedSeconds)];
        AddLine(overTime, seconds, [.. timeline.Select(point => point.P50Milliseconds)], "p50");
        AddLine(overTime, seconds, [.. timeline.Select(point => point.P99Milliseconds)], "p99");
        AddLine(overTime, seconds, [.. timeline.Select(point => point.MaxMilliseconds)], "max");
        overTime.Title($"{report.Workload}, {report.Mode}, {report.Terminals:N0} terminals: latency per second");
        overTime.XLabel("seconds since the load started (warm-up first)");
        overTime.YLabel("latency (ms)");
        var firstMeasured = timeline.ToList().FindIndex(point => point.Measured);
        if (firstMeasured > 0)
        {
            var line = overTime.Add.VerticalLine(timeline[firstMeasured - 1].ElapsedSeconds);
            line.LegendText = "end of warm-up";
            line.LinePattern = LinePattern.Dashed;
        }

        double[] perSecond = [.. timeline.Select(point => point.AnswersPerSecond)];
        var rate = overTime.Add.Scatter(seconds, perSecond);
        rate.LegendText = "answers/s (right axis)";
        rate.MarkerSize = 0;
        rate.Axes.YAxis = overTime.Axes.Right;
        overTime.Axes.Right.Label.Text = "answers per second";
        overTime.ShowLegend(Alignment.UpperLeft);

        var distribution = new Plot();
        var points = report.Latency.Distribution.Where(point => point.Percentile < 100).ToList();
        double[] nines = [.. points.Select(point => Nines(point.Percentile))];
        double[] milliseconds = [.. points.Select(point => point.Milliseconds)];
        var curve = distribution.Add.Scatter(nines, milliseconds);
        curve.LegendText = "measured";
        curve.MarkerSize = 0;
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        var widest = nines.Length == 0 ? 0 : nines.Max();
        foreach (var (percentile, label) in new[] { (0.0, "0%"), (90.0, "90%"), (99.0, "99%"), (99.9, "99.9%"), (99.99, "99.99%"), (99.999, "99.999%") })
        {
            if (Nines(percentile) <= widest + 0.5)
            {
                ticks.AddMajor(Nines(percentile), label);
            }
        }

        distribution.Axes.Bottom.TickGenerator = ticks;
        distribution.Title($"Latency distribution ({report.Latency.Count:N0} answers, p99 {report.Latency.P99Milliseconds:F2} ms, max {report.Latency.MaxMilliseconds:F2} ms)");
        distribution.XLabel("percentile");
        distribution.YLabel("latency (ms)");

        var multiplot = new Multiplot(overTime);
        multiplot.Subplots.Add(distribution);
        multiplot.SavePng(path, 1200, 1100);
    }

    /// <summary>log10(1 / (1 − p)): 0 at 0 %, 1 at 90 %, 2 at 99 %, 3 at 99.9 %.</summary>
    private static double Nines(double percentile) => Math.Log10(1 / (1 - Math.Min(percentile, 99.9999) / 100));

    private static void AddLine(Plot plot, double[] xs, double[] ys, string label)
    {
        var line = plot.Add.Scatter(xs, ys);
        line.LegendText = label;
        line.MarkerSize = 0;
    }
}
