using HdrHistogram;

namespace SocketAtm.ChaosTest;

/// <summary>
/// On-us withdrawal latency in two windows of one run, before the blackout and during it (check 5): a request counts in
/// a window only when it started and ended inside it, so a kill or a phase change never leaks into either.
/// </summary>
internal sealed class OnUsLatency
{
    private const long HighestMicroseconds = 60_000_000;
    private readonly LongHistogram _before = new(1, HighestMicroseconds, 3);
    private readonly LongHistogram _during = new(1, HighestMicroseconds, 3);
    private readonly Lock _gate = new();
    private int _window; // 0: not measuring, 1: before the blackout, 2: during it

    public void MeasureBefore() => Volatile.Write(ref _window, 1);

    public void MeasureDuring() => Volatile.Write(ref _window, 2);

    public void Stop() => Volatile.Write(ref _window, 0);

    /// <summary>The window a request starting now belongs to, for <see cref="Record"/>.</summary>
    public int Window => Volatile.Read(ref _window);

    public void Record(int startedIn, TimeSpan elapsed)
    {
        if (startedIn == 0 || startedIn != Window)
        {
            return;
        }

        lock (_gate)
        {
            (startedIn == 1 ? _before : _during).RecordValue(Math.Clamp((long)elapsed.TotalMicroseconds, 1, HighestMicroseconds));
        }
    }

    /// <summary>p99 in milliseconds and the number of samples before and during the blackout.</summary>
    public (double BeforeP99, long BeforeCount, double DuringP99, long DuringCount) Summary()
    {
        lock (_gate)
        {
            return (P99(_before), _before.TotalCount, P99(_during), _during.TotalCount);
        }
    }

    private static double P99(LongHistogram histogram) => histogram.TotalCount == 0 ? 0 : histogram.GetValueAtPercentile(99) / 1000.0;
}
