using System.Collections.Concurrent;
using System.Diagnostics;
using HdrHistogram;

namespace SocketAtm.Load.Measurement;

/// <summary>
/// Everything the terminals report while the load runs: each answer's latency in microseconds (an HdrHistogram recorder,
/// safe to record into from every thread), answers by kind and response code, and timeouts and errors counted apart.
/// Sampled once per interval for the live progress line and the latency-over-time chart; only intervals inside the
/// measured window (after warm-up) go into the totals.
/// </summary>
internal sealed class RunStatistics
{
    /// <summary>Latencies above two minutes are clamped: no request waits that long.</summary>
    private const long HighestMicroseconds = 120_000_000;

    private readonly Recorder _recorder = NewRecorder();

    private readonly LongHistogram _measured = new(1, HighestMicroseconds, 3);

    // The same answers again, split by who decided them (on-us or forwarded), for the mixed on-us / not-on-us figures.
    private readonly Recorder[] _classRecorders = [NewRecorder(), NewRecorder()];
    private readonly LongHistogram[] _classMeasured = [new(1, HighestMicroseconds, 3), new(1, HighestMicroseconds, 3)];
    private readonly ConcurrentDictionary<(string Kind, string ResponseCode), long> _answers = new();
    private readonly ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _events = new(StringComparer.Ordinal);
    private readonly List<TimelinePoint> _timeline = [];
    private readonly Lock _sampling = new();
    private long _started = Stopwatch.GetTimestamp();
    private long _lastSample;
    private long _timeouts;
    private long _errorCount;
    private long _timeoutsAtLastSample;
    private long _errorsAtLastSample;
    private long _measureFrom;
    private long _measureUntil;
    private volatile bool _measuring;

    public RunStatistics() => _lastSample = _started;

    public long Timeouts => Interlocked.Read(ref _timeouts);

    public long Errors => Interlocked.Read(ref _errorCount);

    /// <summary>Answers by "kind code", e.g. "withdrawal 00".</summary>
    public IReadOnlyDictionary<string, long> Answers =>
        _answers.ToDictionary(pair => pair.Key.Kind + " " + pair.Key.ResponseCode, pair => pair.Value, StringComparer.Ordinal);

    public IReadOnlyDictionary<string, long> ErrorReasons => _errors;

    public IReadOnlyDictionary<string, long> Events => _events;

    public IReadOnlyList<TimelinePoint> Timeline
    {
        get
        {
            lock (_sampling)
            {
                return [.. _timeline];
            }
        }
    }

    /// <summary>Seconds between the start and the end of the measured window.</summary>
    public double MeasuredSeconds => _measureUntil > _measureFrom ? Stopwatch.GetElapsedTime(_measureFrom, _measureUntil).TotalSeconds : 0;

    public LatencySummary Latency
    {
        get
        {
            lock (_sampling)
            {
                return LatencySummary.From(_measured);
            }
        }
    }

    /// <summary>The measured answers of one <see cref="TrafficClass"/> only.</summary>
    public LatencySummary LatencyOf(TrafficClass traffic)
    {
        lock (_sampling)
        {
            return LatencySummary.From(_classMeasured[(int)traffic]);
        }
    }

    /// <summary>An answer came: its latency from <paramref name="startTimestamp"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public void RecordAnswer(string kind, string responseCode, long startTimestamp, TrafficClass traffic = TrafficClass.OnUs)
    {
        var micros = Math.Clamp((long)Stopwatch.GetElapsedTime(startTimestamp).TotalMicroseconds, 1, HighestMicroseconds);
        _recorder.RecordValue(micros);
        _classRecorders[(int)traffic].RecordValue(micros);
        _answers.AddOrUpdate((kind, responseCode), 1, static (_, count) => count + 1);
    }

    /// <summary>No answer in time (the request timeout, not a deliberate give-up).</summary>
    public void RecordTimeout(string kind)
    {
        Interlocked.Increment(ref _timeouts);
        _errors.AddOrUpdate(kind + ": no answer in time", 1, static (_, count) => count + 1);
    }

    /// <summary>Anything that should not happen: an unexpected response code, a repeat answered differently, an exception.</summary>
    public void RecordError(string reason)
    {
        Interlocked.Increment(ref _errorCount);
        _errors.AddOrUpdate(reason, 1, static (_, count) => count + 1);
    }

    /// <summary>Something the workload did on purpose and wants counted (a reversal, a repeat, a duplicate).</summary>
    public void Count(string what) => _events.AddOrUpdate(what, 1, static (_, count) => count + 1);

    /// <summary>The load starts now: the timeline counts from here, and nothing recorded before counts.</summary>
    public void Start()
    {
        lock (_sampling)
        {
            _recorder.Reset();
            foreach (var recorder in _classRecorders)
            {
                recorder.Reset();
            }

            _started = Stopwatch.GetTimestamp();
            _lastSample = _started;
        }
    }

    public void BeginMeasuring(ProcessSample host)
    {
        lock (_sampling)
        {
            TakeSample(host);
            _measureFrom = Stopwatch.GetTimestamp();
            _measuring = true;
        }
    }

    public void EndMeasuring(ProcessSample host)
    {
        lock (_sampling)
        {
            TakeSample(host);
            _measuring = false;
            _measureUntil = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>Closes the current interval and starts the next.</summary>
    public TimelinePoint Sample(ProcessSample host)
    {
        lock (_sampling)
        {
            return TakeSample(host);
        }
    }

    private TimelinePoint TakeSample(ProcessSample host)
    {
        var now = Stopwatch.GetTimestamp();
        var interval = _recorder.GetIntervalHistogram();
        for (var traffic = 0; traffic < _classRecorders.Length; traffic++)
        {
            var classInterval = _classRecorders[traffic].GetIntervalHistogram();
            if (_measuring)
            {
                _classMeasured[traffic].Add(classInterval);
            }
        }

        if (_measuring)
        {
            _measured.Add(interval);
        }

        var seconds = Math.Max(Stopwatch.GetElapsedTime(_lastSample, now).TotalSeconds, 1e-6);
        _lastSample = now;
        var timeouts = Timeouts;
        var errors = Errors;
        var point = new TimelinePoint(
            Stopwatch.GetElapsedTime(_started, now).TotalSeconds,
            _measuring,
            interval.TotalCount,
            interval.TotalCount / seconds,
            interval.TotalCount == 0 ? 0 : LatencySummary.Milliseconds(interval.GetValueAtPercentile(50)),
            interval.TotalCount == 0 ? 0 : LatencySummary.Milliseconds(interval.GetValueAtPercentile(99)),
            interval.TotalCount == 0 ? 0 : LatencySummary.Milliseconds(interval.GetMaxValue()),
            timeouts - _timeoutsAtLastSample,
            errors - _errorsAtLastSample,
            host.ResidentBytes,
            host.LoadAverage);
        _timeoutsAtLastSample = timeouts;
        _errorsAtLastSample = errors;
        _timeline.Add(point);
        return point;
    }

    private static Recorder NewRecorder() => HistogramFactory.With64BitBucketSize()
        .WithValuesFrom(1)
        .WithValuesUpTo(HighestMicroseconds)
        .WithPrecisionOf(3)
        .WithThreadSafeWrites()
        .WithThreadSafeReads()
        .Create();
}
