using System.Diagnostics.Metrics;

namespace SocketAtm.Server.Ledger;

/// <summary>The ledger's instruments on the "SocketAtm" meter.</summary>
internal sealed class LedgerMetrics : IDisposable
{
    public const string MeterName = "SocketAtm";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _commitDuration;
    private readonly Counter<long> _saturated;
    private readonly Counter<long> _securityEvents;

    public LedgerMetrics(IMeterFactory? meterFactory)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _batchSize = _meter.CreateHistogram<int>(
            "socketatm.ledger.batch.size", "{request}", "Requests applied by one group commit.");
        _commitDuration = _meter.CreateHistogram<double>(
            "socketatm.ledger.commit.duration", "ms", "Time to apply, commit and sync one group commit.");
        _saturated = _meter.CreateCounter<long>(
            "socketatm.ledger.saturated", "{request}", "Requests answered 91 because the ledger's queue was full.");
        // The host counts refusals it journals none for (Diagnostics/AtmMetrics.SecurityEvent) on this instrument too: keep
        // the name, unit and description alike, so that the meter returns one instrument.
        _securityEvents = _meter.CreateCounter<long>(
            "socketatm.security.events",
            "{request}",
            // As the host's metrics describe it (Diagnostics' AtmMetrics), which count on the same instrument the violations that never reach the ledger.
            "Requests refused as security events, by reason: journaled one by one (counted once committed), or throttled (throttled=true) and journaled as one row per terminal and window.");
    }

    public void RecordCommit(int batchSize, double milliseconds)
    {
        _batchSize.Record(batchSize);
        _commitDuration.Record(milliseconds);
    }

    public void RecordSaturated() => _saturated.Add(1);

    /// <summary>Reports how many requests wait in the writer's queue (read when the metrics are collected, not per request).</summary>
    public void ObserveQueueDepth(Func<int> depth) =>
        _meter.CreateObservableGauge(
            "socketatm.ledger.queue.depth", depth, "{request}", "Requests and other work waiting in the ledger writer's queue (full: answered 91).");

    /// <summary>Counts the security events among a committed batch's outcomes (<see cref="LedgerOutcome.SecurityEvent"/>).</summary>
    public void RecordSecurityEvents(IReadOnlyList<Writer.RequestWork> committed)
    {
        ArgumentNullException.ThrowIfNull(committed);
        for (var index = 0; index < committed.Count; index++)
        {
            if (committed[index].Outcome?.SecurityEvent is { } reason)
            {
                _securityEvents.Add(1, new KeyValuePair<string, object?>("reason", reason));
            }
        }
    }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
