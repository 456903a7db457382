using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SocketAtm.Server.Diagnostics;

/// <summary>The host's instruments on the "SocketAtm" meter (read them with <c>dotnet-counters monitor -n SocketAtm.Server --counters SocketAtm</c>).</summary>
internal sealed class AtmMetrics
{
    public const string MeterName = "SocketAtm";

    private readonly Counter<long> _messages;
    private readonly Histogram<double> _processingMs;
    private readonly UpDownCounter<long> _openConnections;
    private readonly Counter<long> _rejectedFrames;
    private readonly Counter<long> _refusedConnections;
    private readonly Counter<long> _failedHandshakes;
    private readonly Counter<long> _closedByHost;
    private readonly Counter<long> _securityEvents;

    public AtmMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _messages = meter.CreateCounter<long>("socketatm.messages", "{message}", "Requests answered, by request MTI and response code.");
        _processingMs = meter.CreateHistogram<double>("socketatm.processing.duration", "ms", "Time from a complete request frame to its response being queued for writing.");
        _openConnections = meter.CreateUpDownCounter<long>("socketatm.connections.open", "{connection}", "Terminal connections currently open.");
        _rejectedFrames = meter.CreateCounter<long>("socketatm.frames.rejected", "{frame}", "Frames or messages rejected as malformed, by reason.");
        _refusedConnections = meter.CreateCounter<long>("socketatm.connections.refused", "{connection}", "Connections closed at accept because a connection cap was reached, by reason.");
        _failedHandshakes = meter.CreateCounter<long>("socketatm.tls.handshakes.failed", "{connection}", "TLS handshakes that failed (timeout, rejected, connection lost), by reason.");
        _closedByHost = meter.CreateCounter<long>("socketatm.connections.closed_by_host", "{connection}", "Open connections the host closed for breaking a connection rule, by reason.");

        // The ledger's instrument (LedgerMetrics), named and described alike so that the meter gives both the same one:
        // the ledger counts the violations it journals one by one, once committed; this, those that never reach it.
        _securityEvents = meter.CreateCounter<long>(SecurityEventsName, "{request}", SecurityEventsDescription);
    }

    public void MessageAnswered(int requestMti, string responseCode, double elapsedMs)
    {
        var mti = BoxedMti(requestMti);
        var tags = new TagList { { "mti", mti }, { "response_code", responseCode } };
        _messages.Add(1, tags);
        _processingMs.Record(elapsedMs, new KeyValuePair<string, object?>("mti", mti));
    }

    /// <summary>MTIs boxed once each (there are at most 10,000), so tagging a measurement allocates nothing.</summary>
    private static object BoxedMti(int mti)
    {
        var index = Math.Clamp(mti, 0, MtiBoxes.Length - 1);
        return MtiBoxes[index] ??= index;
    }

    private static readonly object?[] MtiBoxes = new object?[10_000];

    public void ConnectionOpened() => _openConnections.Add(1);

    public void ConnectionClosed() => _openConnections.Add(-1);

    /// <param name="reason">"max_connections" or "max_connections_per_address".</param>
    public void ConnectionRefused(string reason) => _refusedConnections.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void TlsHandshakeFailed(string reason) => _failedHandshakes.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <param name="reason">"sign_on_timeout".</param>
    public void ConnectionClosedByHost(string reason) => _closedByHost.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>The instrument of security events, shared with the ledger's metrics.</summary>
    public const string SecurityEventsName = "socketatm.security.events";

    /// <summary>Its description: the same on both sides, or the meter would make two instruments of one name.</summary>
    public const string SecurityEventsDescription =
        "Requests refused as security events, by reason: journaled one by one (counted once committed), or throttled (throttled=true) and journaled as one row per terminal and window.";

    /// <summary>A security violation that is not journaled one by one: a throttled one, or any request naming an unknown terminal.</summary>
    /// <param name="reason">"mac", "stale_transmission" or "unknown_terminal".</param>
    public void SecurityViolation(string reason, bool throttled) =>
        _securityEvents.Add(1, new KeyValuePair<string, object?>("reason", reason), new KeyValuePair<string, object?>("throttled", throttled ? True : False));

    private static readonly object True = true;
    private static readonly object False = false;

    public void FrameRejected(string reason) => _rejectedFrames.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>A security event refused before the ledger, which journals none for it.</summary>
    /// <param name="reason">"key_exchange_limit".</param>
    public void SecurityEvent(string reason) => _securityEvents.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
