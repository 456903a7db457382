using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using SocketAtm.Server.Diagnostics;
using SocketAtm.Server.Ledger.Acquiring;

namespace SocketAtm.Server.Tests.Diagnostics;

/// <summary>
/// The store-and-forward instruments an operator alerts on (README, Store-and-forward): per route, the queue's depth,
/// exceptions, expired entries and oldest age as last summarized, and this host's deliveries and failed tries.
/// </summary>
public sealed class SafMetricsTests
{
    [Fact]
    public void Each_route_reports_its_queue_as_last_summarized_and_counts_deliveries_and_failures_by_tag()
    {
        using var provider = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = provider.GetRequiredService<IMeterFactory>();
        var measured = new Dictionary<string, double>(StringComparer.Ordinal);
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, meterListener) =>
            {
                if (instrument.Name.StartsWith("socketatm.saf.", StringComparison.Ordinal) && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    meterListener.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(measured, instrument, value, tags));
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(measured, instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(measured, instrument, value, tags));
        listener.Start();
        var metrics = new SafMetrics(factory);
        var now = new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

        metrics.Summarized("visa", new SafRouteSummary(Queued: 3, Exceptions: 1, Expired: 2, OldestOwedAt: now.AddMinutes(-90)), now);
        metrics.Summarized("idle", SafRouteSummary.Empty, now);
        metrics.Summarized("visa", new SafRouteSummary(Queued: 4, Exceptions: 1, Expired: 2, OldestOwedAt: now.AddMinutes(-90)), now);
        metrics.Delivered("visa", "acknowledged");
        metrics.Delivered("visa", "acknowledged");
        metrics.Failed("visa", "timeout");
        listener.RecordObservableInstruments();

        Assert.Equal(4, measured["socketatm.saf.depth route=visa"]);
        Assert.Equal(1, measured["socketatm.saf.exceptions route=visa"]);
        Assert.Equal(2, measured["socketatm.saf.expired route=visa"]);
        Assert.Equal(5_400, measured["socketatm.saf.oldest_age route=visa"]);
        Assert.Equal(0, measured["socketatm.saf.depth route=idle"]);
        Assert.Equal(0, measured["socketatm.saf.oldest_age route=idle"]);
        Assert.Equal(2, measured["socketatm.saf.deliveries route=visa result=acknowledged"]);
        Assert.Equal(1, measured["socketatm.saf.failures route=visa reason=timeout"]);
    }

    private static void Record<T>(Dictionary<string, double> measured, Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        where T : struct
    {
        var key = instrument.Name + string.Concat(tags.ToArray().Select(tag => $" {tag.Key}={tag.Value}"));
        var number = Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);

        // Counters add up; gauges report their latest value.
        measured[key] = instrument is Counter<long> ? measured.GetValueOrDefault(key) + number : number;
    }
}
