using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using SocketAtm.Server.Ledger;

namespace SocketAtm.Server.Tests.Ledger;

/// <summary>Every refusal the ledger journals as a security event is counted on <c>socketatm.security.events</c>, by reason, once committed.</summary>
public sealed class SecurityEventMetricTests
{
    [Fact]
    public async Task Mac_failures_and_stale_requests_are_counted_by_reason_and_decisions_are_not()
    {
        using var meters = new TestMeterFactory();
        var reasons = new ConcurrentQueue<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (meters.Created.Contains(instrument.Meter) && instrument.Name == "socketatm.security.events")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "reason")
                {
                    reasons.Enqueue((string)tag.Value!);
                }
            }
        });
        listener.Start();
        await using var context = new LedgerTestContext();
        await context.OpenAsync(meterFactory: meters);

        await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 1_000));
        await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 1_000) with { IsSecurityViolation = true });
        await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 1_000) with { IsStale = true });
        await context.ExecuteAsync(context.BalanceInquiry(DemoCards.Active, DemoCards.ActivePin, mti: 101) with { IsStale = true });

        Assert.Equal(["mac", "stale_transmission", "stale_transmission"], reasons);
    }

    [Fact]
    public void The_host_and_the_ledger_count_security_events_on_one_instrument()
    {
        using var provider = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = provider.GetRequiredService<IMeterFactory>();
        var published = new ConcurrentBag<Instrument>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Name == "socketatm.security.events")
                {
                    published.Add(instrument);
                }
            },
        };
        listener.Start();

        // A key exchange refused by the rate limit is counted by the host, a MAC failure by the ledger: one series per reason.
        _ = new SocketAtm.Server.Diagnostics.AtmMetrics(factory);
        using var ledgerMetrics = new LedgerMetrics(factory);

        Assert.Single(published);
    }
}
