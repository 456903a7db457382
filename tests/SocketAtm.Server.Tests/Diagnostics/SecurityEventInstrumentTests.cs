using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using SocketAtm.Server.Diagnostics;
using SocketAtm.Server.Ledger;

namespace SocketAtm.Server.Tests.Diagnostics;

/// <summary>
/// socketatm.security.events is counted from two sides — the ledger as it commits the violations it journals, the host for
/// those it throttles or cannot journal — and must stay one instrument, or exporters would see two of one name.
/// </summary>
public sealed class SecurityEventInstrumentTests
{
    [Fact]
    public void The_host_and_the_ledger_count_security_events_on_one_instrument()
    {
        using var provider = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = provider.GetRequiredService<IMeterFactory>();
        var published = new List<Instrument>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Name == AtmMetrics.SecurityEventsName && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    published.Add(instrument);
                }
            },
        };
        listener.Start();

        _ = new AtmMetrics(factory);
        using var ledger = new LedgerMetrics(factory);

        var instrument = Assert.Single(published);
        Assert.Equal(AtmMetrics.SecurityEventsDescription, instrument.Description);
    }
}
