using System.Diagnostics;
using System.Globalization;
using SocketAtm.Load.Measurement;

namespace SocketAtm.Load.Workloads;

/// <summary>
/// Runs the terminals for the warm-up and the measured time, printing a progress line each second.
/// Closed loop: every terminal sends its next operation as soon as the last one ended, so the host sets the pace.
/// Open loop: operations are due at a fixed rate, round-robin over the terminals, and each one's latency counts from
/// when it was due — a host that falls behind shows it in the latency instead of slowing the load (no coordinated
/// omission).
/// </summary>
internal sealed class LoadDriver(
    IReadOnlyList<LoadTerminal> terminals,
    RunStatistics statistics,
    Func<ProcessSample> sampleHost,
    TextWriter progress,
    Action<bool>? measuredWindowChanged = null)
{
    private static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(1);
    private long _outstanding;
    private volatile bool _stopping;

    /// <summary>Wall-clock start and end of the measured window (for matching journal rows).</summary>
    public (DateTimeOffset From, DateTimeOffset Until) MeasuredWindow { get; private set; }

    public async Task RunAsync(TimeSpan warmup, TimeSpan duration, double? ratePerSecond, TimeSpan drainTimeout)
    {
        statistics.Start();
        var started = Stopwatch.GetTimestamp();
        Task load = ratePerSecond is { } rate ? OpenLoopAsync(rate, started) : ClosedLoopAsync();

        await SampleUntilAsync(started, warmup);
        statistics.BeginMeasuring(sampleHost());
        measuredWindowChanged?.Invoke(true);
        var from = DateTimeOffset.UtcNow;
        await SampleUntilAsync(started, warmup + duration);
        statistics.EndMeasuring(sampleHost());
        measuredWindowChanged?.Invoke(false);
        MeasuredWindow = (from, DateTimeOffset.UtcNow);
        _stopping = true;

        try
        {
            await load.WaitAsync(drainTimeout);
        }
        catch (TimeoutException)
        {
            statistics.RecordError($"{Interlocked.Read(ref _outstanding)} operations still running {drainTimeout.TotalSeconds:F0} s after the end");
        }
    }

    private async Task SampleUntilAsync(long started, TimeSpan until)
    {
        while (true)
        {
            var left = until - Stopwatch.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return;
            }

            if (left < SampleInterval)
            {
                await Task.Delay(left);
                return;
            }

            await Task.Delay(SampleInterval);
            Print(statistics.Sample(sampleHost()));
        }
    }

    private void Print(TimelinePoint point) => progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  {point.ElapsedSeconds,6:F1} s {(point.Measured ? "   " : "(w)")} {point.AnswersPerSecond,9:N0}/s  p50 {point.P50Milliseconds,7:F2} ms  p99 {point.P99Milliseconds,7:F2} ms  max {point.MaxMilliseconds,8:F2} ms  timeouts {point.Timeouts,4}  errors {point.Errors,4}  host RSS {(point.HostResidentBytes is { } rss ? (rss / 1048576.0).ToString("F0", CultureInfo.InvariantCulture) + " MB" : "-"),7}  load {point.LoadAverage?.ToString("F2", CultureInfo.InvariantCulture) ?? "-"}  in flight {Interlocked.Read(ref _outstanding)}"));

    private Task ClosedLoopAsync() => Task.WhenAll(terminals.Select(async terminal =>
    {
        // Spread the first requests a little so ten thousand terminals do not all start in the same instant.
        await Task.Delay(Random.Shared.Next(0, 50));
        while (!_stopping)
        {
            await RunOneAsync(terminal, Stopwatch.GetTimestamp());
        }
    }));

    private async Task OpenLoopAsync(double ratePerSecond, long started)
    {
        var running = new List<Task>();
        long issued = 0;
        var ticksPerOperation = Stopwatch.Frequency / ratePerSecond;
        while (!_stopping)
        {
            var due = (long)(Stopwatch.GetElapsedTime(started).TotalSeconds * ratePerSecond);
            while (issued < due)
            {
                var intended = started + (long)(issued * ticksPerOperation);
                running.Add(RunOneAsync(terminals[(int)(issued % terminals.Count)], intended));
                issued++;
            }

            running.RemoveAll(task => task.IsCompleted);
            await Task.Delay(1);
        }

        await Task.WhenAll(running);
    }

    private async Task RunOneAsync(LoadTerminal terminal, long intendedStart)
    {
        Interlocked.Increment(ref _outstanding);
        try
        {
            await terminal.RunOnceAsync(intendedStart);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            statistics.RecordError($"{exception.GetType().Name}: {exception.Message}");
            await Task.Delay(100);
        }
        finally
        {
            Interlocked.Decrement(ref _outstanding);
        }
    }
}
