using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace SocketAtm.Testing;

/// <summary>
/// The totals of the long counters created through one <see cref="IMeterFactory"/> (one host's, or one composed session
/// pipeline's), listened to from construction until disposed: instruments of hosts in other tests running in parallel
/// are not counted. A total is kept per instrument and tag values, under a key such as
/// "socketatm.messages/mti=200/response_code=30" (the tags in the order they were recorded).
/// </summary>
public sealed class CounterTotals : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _totals = new(StringComparer.Ordinal);

    public CounterTotals(IMeterFactory meterFactory)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, meterFactory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var key = instrument.Name;
            foreach (var tag in tags)
            {
                key += $"/{tag.Key}={tag.Value}";
            }

            _totals.AddOrUpdate(key, value, (_, total) => total + value);
        });
        _listener.Start();
    }

    /// <summary>
    /// The sum of the totals whose key is <paramref name="prefix"/> or begins with it and then a further tag, e.g.
    /// "socketatm.connections.refused" for every reason. Whole segments only: "…/reason=max_connections" does not take in
    /// "…/reason=max_connections_per_address".
    /// </summary>
    public long Count(string prefix) => _totals.Where(pair => StartsWithSegments(pair.Key, prefix)).Sum(pair => pair.Value);

    private static bool StartsWithSegments(string key, string prefix) =>
        key.StartsWith(prefix, StringComparison.Ordinal) && (key.Length == prefix.Length || key[prefix.Length] == '/');

    public void Dispose() => _listener.Dispose();
}
