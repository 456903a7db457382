using Microsoft.Extensions.Logging;

namespace SocketAtm.Server.Diagnostics;

/// <summary>
/// Keeps a log line that a remote party can cause at will (a refused connection, a refused request) from becoming a flood
/// of lines: per source (an address key) and kind of line, the first within <see cref="Window"/> is logged and the rest of
/// that window only counted; the next one logged after the window says how many were not (<paramref name="suppressed"/>
/// of <see cref="ShouldLog"/>), so the count reaches the log with the next line of its kind. Metrics still count every
/// event. Thread-safe; deterministic on its <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// Sources are chosen by the remote party, so at most <see cref="MaxTrackedKeys"/> (source, kind) pairs are tracked (about
/// 1 MB). When the table is full, pairs whose window has passed are dropped (at most once a window, so a full table costs
/// one pass per window, not one per line), with the count of lines they had suppressed since (the metrics keep it); while
/// the table is still full, lines of new sources share one entry per kind, whose source reads "other addresses".
/// </remarks>
internal sealed class LogRateLimit
{
    public const int MaxTrackedKeys = 10_000;

    /// <summary>The window of every rate-limited line: one line per source and kind a minute.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromMinutes(1);

    /// <summary>The source lines of new sources are counted under while the table is full.</summary>
    public const string OtherSources = "other addresses";

    private readonly Dictionary<(string Source, string Kind), Entry> _entries = [];
    private readonly TimeProvider _time;
    private readonly int _maxTrackedKeys;
    private readonly Lock _lock = new();
    private long _lastPurge;

    /// <param name="maxTrackedKeys">The bound of the table; <see cref="MaxTrackedKeys"/> but in tests.</param>
    public LogRateLimit(TimeProvider time, TimeSpan? window = null, int maxTrackedKeys = MaxTrackedKeys)
    {
        _time = time;
        Window = window ?? DefaultWindow;
        _maxTrackedKeys = maxTrackedKeys;
        _lastPurge = time.GetTimestamp();
    }

    public TimeSpan Window { get; }

    /// <summary>Pairs tracked now.</summary>
    public int Tracked
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>
    /// True when this line of <paramref name="kind"/> from <paramref name="source"/> is to be logged, having first written
    /// to <paramref name="logger"/> how many like it were not (event 186), when any were: what every caller does before
    /// its own line.
    /// </summary>
    public bool ShouldLog(ILogger logger, string? source, string kind)
    {
        if (!ShouldLog(source, kind, out var suppressed, out var countedAs))
        {
            return false;
        }

        if (suppressed > 0)
        {
            ThrottleLog.LinesSuppressed(logger, suppressed, countedAs, kind, Window);
        }

        return true;
    }

    /// <summary>
    /// True when this line of <paramref name="kind"/> from <paramref name="source"/> is to be logged; then
    /// <paramref name="suppressed"/> is how many of its kind from that source were not logged since the last one, and
    /// <paramref name="countedAs"/> the source they were counted under (<see cref="OtherSources"/> while the table is full).
    /// </summary>
    /// <param name="source">The remote address key; null when unknown.</param>
    /// <param name="kind">What happened, in words of a fixed set (a reason, not the whole line).</param>
    public bool ShouldLog(string? source, string kind, out long suppressed, out string countedAs)
    {
        var now = _time.GetTimestamp();
        countedAs = source ?? "an unknown address";
        lock (_lock)
        {
            if (!_entries.TryGetValue((countedAs, kind), out var entry))
            {
                if (_entries.Count >= _maxTrackedKeys && !MadeRoom(now))
                {
                    countedAs = OtherSources;
                    if (_entries.TryGetValue((countedAs, kind), out entry))
                    {
                        return Pass(entry, now, out suppressed);
                    }
                }

                _entries.Add((countedAs, kind), new Entry(now));
                suppressed = 0;
                return true;
            }

            return Pass(entry, now, out suppressed);
        }
    }

    /// <summary>Logs when the entry's window has passed (and starts a new one), else counts the line as suppressed.</summary>
    private bool Pass(Entry entry, long now, out long suppressed)
    {
        if (_time.GetElapsedTime(entry.LoggedAt, now) < Window)
        {
            entry.Suppressed++;
            suppressed = 0;
            return false;
        }

        suppressed = entry.Suppressed;
        entry.LoggedAt = now;
        entry.Suppressed = 0;
        return true;
    }

    /// <summary>Drops the pairs whose window has passed, at most once a window; true when there is room now.</summary>
    private bool MadeRoom(long now)
    {
        if (_time.GetElapsedTime(_lastPurge, now) >= Window)
        {
            _lastPurge = now;
            foreach (var (key, entry) in _entries)
            {
                if (_time.GetElapsedTime(entry.LoggedAt, now) >= Window)
                {
                    _entries.Remove(key);
                }
            }
        }

        return _entries.Count < _maxTrackedKeys;
    }

    private sealed class Entry(long loggedAt)
    {
        public long LoggedAt { get; set; } = loggedAt;

        public long Suppressed { get; set; }
    }
}
