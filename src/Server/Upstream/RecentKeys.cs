namespace SocketAtm.Server.Upstream;

/// <summary>
/// The keys of the last requests that timed out, so that an answer arriving after its budget is counted as late rather
/// than unmatched; bounded (oldest forgotten first), so an issuer's stream of late answers cannot grow it. Thread-safe.
/// </summary>
internal sealed class RecentKeys(int capacity)
{
    private readonly Queue<CorrelationKey> _order = new();
    private readonly HashSet<CorrelationKey> _keys = [];
    private readonly Lock _lock = new();

    public void Add(CorrelationKey key)
    {
        lock (_lock)
        {
            if (!_keys.Add(key))
            {
                return;
            }

            _order.Enqueue(key);
            if (_order.Count > capacity)
            {
                _keys.Remove(_order.Dequeue());
            }
        }
    }

    /// <summary>True (once) when <paramref name="key"/> timed out recently.</summary>
    public bool TryTake(CorrelationKey key)
    {
        lock (_lock)
        {
            return _keys.Remove(key);
        }
    }
}
