using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
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
}
