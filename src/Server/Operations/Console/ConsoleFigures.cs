using OpenTelemetry;
using OpenTelemetry.Metrics;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.Server.Operations.Console;

/// <summary>
/// The figures the console shows, gathered from the host's own instruments (the "SocketAtm" meter) once an interval by a
/// metric reader of their own, with delta temporality: the same measurements <c>/metrics</c> exports, never a second
/// count kept on the terminal path. Keeps the last <see cref="ConsoleOptions.HistorySeconds"/> intervals for new viewers,
/// the totals of declines and security events by reason, and a short list of the latest security events.
/// Written by the reader's one export thread; read by viewers joining, under <see cref="_lock"/>.
/// </summary>
internal sealed class ConsoleFigures(ConsoleOptions options)
{
    /// <summary>Security events kept for the list (the totals by reason cover all).</summary>
    public const int RecentSecurityEvents = 50;

    private readonly Lock _lock = new();
    private readonly Queue<ConsolePoint> _history = new();
    private readonly Dictionary<string, long> _declines = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Count, long LastAt)> _security = new(StringComparer.Ordinal);
    private readonly Queue<SecurityEventSeen> _recentSecurity = new();
    private readonly Dictionary<string, SafFigures> _saf = new(StringComparer.Ordinal);
    private long _lastCollectedAt;

    /// <summary>Terminal connections open now.</summary>
    public long OpenConnections { get; private set; }

    /// <summary>Folds one export of the meter into a new point; returns it.</summary>
    public ConsolePoint Collect(in Batch<Metric> batch, DateTimeOffset now)
    {
        var at = now.ToUnixTimeMilliseconds();
        var point = new ConsolePoint { At = at, Seconds = _lastCollectedAt == 0 ? 1 : Math.Max(0.001, (at - _lastCollectedAt) / 1000.0) };
        _lastCollectedAt = at;
        lock (_lock)
        {
            foreach (var metric in batch)
            {
                Fold(metric, point, at);
            }

            foreach (var (code, count) in point.Codes)
            {
                if (code != ResponseCodes.Approved)
                {
                    _declines[code] = _declines.GetValueOrDefault(code) + count;
                }
            }

            _history.Enqueue(point);
            while (_history.Count > options.HistorySeconds)
            {
                _history.Dequeue();
            }
        }

        return point;
    }

    /// <summary>The points kept, oldest first.</summary>
    public ConsolePoint[] History()
    {
        lock (_lock)
        {
            return [.. _history];
        }
    }

    /// <summary>Responses other than approval since the host started, by code, with the last minute's count.</summary>
    public IReadOnlyList<(string Code, long Count, long LastMinute)> Declines()
    {
        lock (_lock)
        {
            var since = _lastCollectedAt - 60_000;
            return _declines
                .Select(pair => (pair.Key, pair.Value, _history.Where(point => point.At > since).Sum(point => point.Codes.GetValueOrDefault(pair.Key))))
                .OrderByDescending(decline => decline.Value)
                .ToList();
        }
    }

    /// <summary>Security events since the host started, by reason, with when the last was counted.</summary>
    public IReadOnlyList<(string Reason, long Count, long LastAt)> SecurityByReason()
    {
        lock (_lock)
        {
            return _security.Select(pair => (pair.Key, pair.Value.Count, pair.Value.LastAt)).OrderByDescending(reason => reason.LastAt).ToList();
        }
    }

    /// <summary>The latest intervals with security events, newest first.</summary>
    public IReadOnlyList<SecurityEventSeen> RecentSecurity()
    {
        lock (_lock)
        {
            return _recentSecurity.Reverse().ToList();
        }
    }

    /// <summary>The store-and-forward queue of each route, as the SAF worker last read it.</summary>
    public IReadOnlyDictionary<string, SafFigures> Saf()
    {
        lock (_lock)
        {
            return new Dictionary<string, SafFigures>(_saf, StringComparer.Ordinal);
        }
    }

    private void Fold(Metric metric, ConsolePoint point, long at)
    {
        switch (metric.Name)
        {
            case "socketatm.messages":
                foreach (ref readonly var measured in metric.GetMetricPoints())
                {
                    var mti = TagInt(measured, "mti");
                    var code = Tag(measured, "response_code") ?? "--";
                    var count = measured.GetSumLong();
                    if (MessageTypes.IsNetworkManagement(mti))
                    {
                        point.NetworkManagement += count;
                    }
                    else if (count > 0)
                    {
                        point.Codes[code] = point.Codes.GetValueOrDefault(code) + count;
                    }
                }

                break;
            case "socketatm.ledger.batch.size":
                foreach (ref readonly var measured in metric.GetMetricPoints())
                {
                    point.Commits += measured.GetHistogramCount();
                    point.BatchedRequests += measured.GetHistogramSum();
                    if (measured.TryGetHistogramMinMaxValues(out _, out var max))
                    {
                        point.BatchMax = Math.Max(point.BatchMax, max);
                    }
                }

                break;
            case "socketatm.ledger.commit.duration":
                foreach (ref readonly var measured in metric.GetMetricPoints())
                {
                    point.CommitMilliseconds += measured.GetHistogramSum();
                    if (measured.TryGetHistogramMinMaxValues(out _, out var max))
                    {
                        point.CommitMaxMilliseconds = Math.Max(point.CommitMaxMilliseconds, max);
                    }
                }

                break;
            case "socketatm.ledger.saturated":
                foreach (ref readonly var measured in metric.GetMetricPoints())
                {
                    point.Saturated += measured.GetSumLong();
                }

                break;
            case "socketatm.ledger.queue.depth":
                foreach (ref readonly var measured in metric.GetMetricPoints())
                {
                    point.QueueDepth += measured.GetGaugeLastValueLong();
                }

                break;
            case "socketatm.connections.open":
                long open = 0;
                foreach (ref readonly var measured in metric.GetMetricPoints())
                {
                    open += measured.GetSumLong();
                }

                OpenConnections = open;
                break;
            case "socketatm.security.events":
                foreach (ref readonly var measured in metric.GetMetricPoints())
                {
                    var count = measured.GetSumLong();
                    if (count > 0)
                    {
                        CountSecurityEvent(Tag(measured, "reason") ?? "unknown", count, at);
                    }
                }

                break;
            case "socketatm.saf.depth":
            case "socketatm.saf.exceptions":
            case "socketatm.saf.oldest_age":
                FoldSaf(metric);
                break;
        }
    }

    private void CountSecurityEvent(string reason, long count, long at)
    {
        var total = _security.GetValueOrDefault(reason);
        _security[reason] = (total.Count + count, at);
        _recentSecurity.Enqueue(new SecurityEventSeen(at, reason, count));
        while (_recentSecurity.Count > RecentSecurityEvents)
        {
            _recentSecurity.Dequeue();
        }
    }

    private void FoldSaf(Metric metric)
    {
        foreach (ref readonly var measured in metric.GetMetricPoints())
        {
            var route = Tag(measured, "route");
            if (route is null)
            {
                continue;
            }

            var figures = _saf.GetValueOrDefault(route);
            _saf[route] = metric.Name switch
            {
                "socketatm.saf.depth" => figures with { Depth = measured.GetGaugeLastValueLong() },
                "socketatm.saf.exceptions" => figures with { Exceptions = measured.GetGaugeLastValueLong() },
                _ => figures with { OldestAgeSeconds = measured.GetGaugeLastValueDouble() },
            };
        }
    }

    private static string? Tag(in MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key)
            {
                return tag.Value as string;
            }
        }

        return null;
    }

    private static int TagInt(in MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key && tag.Value is int value)
            {
                return value;
            }
        }

        return -1;
    }
}
