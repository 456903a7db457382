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
    }

    public void RecordCommit(int batchSize, double milliseconds)
    {
        _batchSize.Record(batchSize);
        _commitDuration.Record(milliseconds);
    }

    public void RecordSaturated() => _saturated.Add(1);

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
