using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace SocketAtm.Server.Tests.Ledger;

/// <summary>Creates meters a test can tell from those of other ledgers running at the same time, and disposes them.</summary>
internal sealed class TestMeterFactory : IMeterFactory
{
    public ConcurrentBag<Meter> Created { get; } = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options);
        Created.Add(meter);
        return meter;
    }

    public void Dispose()
    {
        foreach (var meter in Created)
        {
            meter.Dispose();
        }
    }
}
