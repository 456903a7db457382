using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using SocketAtm.Server.Ledger.Acquiring;

namespace SocketAtm.Server.Diagnostics;

/// <summary>
/// The store-and-forward instruments on the <see cref="AtmMetrics.MeterName"/> meter, each tagged by <c>route</c>: the
/// queue's depth, exceptions, expired entries and oldest age as the SAF worker last read them from the ledger (so hosts
/// sharing a database each report the shared queue), and this host's deliveries and failed tries.
/// </summary>
internal sealed class SafMetrics
{
    private readonly ConcurrentDictionary<string, (SafRouteSummary Summary, DateTimeOffset At)> _summaries = new(StringComparer.Ordinal);
    private readonly Counter<long> _deliveries;
    private readonly Counter<long> _failures;

    public SafMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(AtmMetrics.MeterName);
        meter.CreateObservableGauge("socketatm.saf.depth", () => Observe(summary => summary.Queued), "{message}", "Messages owed to a route's issuer and queued for delivery.");
        meter.CreateObservableGauge("socketatm.saf.exceptions", () => Observe(summary => summary.Exceptions), "{message}", "Owed messages the issuer refused, kept for operators (admin saf list).");
        meter.CreateObservableGauge("socketatm.saf.expired", () => Observe(summary => summary.Expired), "{message}", "Owed messages older than the route's SafExpiry: alerted, still sent.");
        meter.CreateObservableGauge("socketatm.saf.oldest_age", ObserveOldestAge, "s", "Age of the oldest message owed to a route's issuer (0 when none).");
        _deliveries = meter.CreateCounter<long>("socketatm.saf.deliveries", "{message}", "Owed messages this host delivered, by route and result (acknowledged, disputed: an advice booked that the issuer would have declined, refused).");
        _failures = meter.CreateCounter<long>("socketatm.saf.failures", "{try}", "Tries not acknowledged, by route and reason (timeout, not_sent, untrusted, or the issuer's 91/96).");
    }

    public void Summarized(string route, SafRouteSummary summary, DateTimeOffset at) => _summaries[route] = (summary, at);

    public void Delivered(string route, string result) => _deliveries.Add(1, new TagList { { "route", route }, { "result", result } });

    public void Failed(string route, string reason) => _failures.Add(1, new TagList { { "route", route }, { "reason", reason } });

    private IEnumerable<Measurement<int>> Observe(Func<SafRouteSummary, int> value) =>
        _summaries.Select(pair => new Measurement<int>(value(pair.Value.Summary), new KeyValuePair<string, object?>("route", pair.Key)));

    private IEnumerable<Measurement<double>> ObserveOldestAge() =>
        _summaries.Select(pair => new Measurement<double>(
            pair.Value.Summary.OldestOwedAt is { } oldest ? Math.Max(0, (pair.Value.At - oldest).TotalSeconds) : 0,
            new KeyValuePair<string, object?>("route", pair.Key)));
}
