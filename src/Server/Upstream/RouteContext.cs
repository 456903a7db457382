using System.Globalization;
using Microsoft.Extensions.Logging;
using SocketAtm.Server.Diagnostics;

namespace SocketAtm.Server.Upstream;

/// <summary>What every connection of one route shares: its name, limits, clock, counters, metrics and rate-limited log.</summary>
internal sealed class RouteContext
{
    public RouteContext(string name, int connections, int maxInFlight, int maxFrameLength, TimeProvider time, UpstreamMetrics metrics, LogRateLimit logLimit, ILogger logger)
    {
        Name = name;
        MaxFrameLength = maxFrameLength;
        Time = time;
        Metrics = metrics;
        LogLimit = logLimit;
        Logger = logger;
        State = new RouteLinkState(name, connections, time);
        RecentTimeouts = new RecentKeys(maxInFlight);
    }

    public string Name { get; }

    public int MaxFrameLength { get; }

    public TimeProvider Time { get; }

    public UpstreamMetrics Metrics { get; }

    public LogRateLimit LogLimit { get; }

    public ILogger Logger { get; }

    public RouteLinkState State { get; }

    /// <summary>Keys of requests that timed out lately, to tell a late answer from an unmatched one.</summary>
    public RecentKeys RecentTimeouts { get; }

    /// <summary>A frame from the issuer delivered to no request: counted, and logged once a minute per endpoint and reason.</summary>
    /// <param name="reason">late, unmatched, request_mti, unparsable or frame_too_large.</param>
    public void Discarded(string endpoint, string reason, int mti, string? stan)
    {
        // The metric first, the state's counter last: whoever watches the state then sees the metric already moved.
        Metrics.Discarded(Name, reason);
        switch (reason)
        {
            case "late":
                State.CountLate();
                break;
            case "unmatched" or "request_mti":
                State.CountUnmatched();
                break;
            default:
                State.CountFramingError();
                break;
        }

        if (LogLimit.ShouldLog(Logger, Name + " " + endpoint, reason))
        {
            UpstreamLog.DiscardedFrame(Logger, Name, endpoint, reason, MessageTypes.Format(mti), stan ?? "-");
        }
    }

    /// <summary>A line the issuer can cause at will (a failing connect), logged once a minute per kind.</summary>
    public bool ShouldLog(string source, string kind) => LogLimit.ShouldLog(Logger, Name + " " + source, kind);

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
