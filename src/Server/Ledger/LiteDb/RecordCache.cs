using System.Diagnostics.CodeAnalysis;

namespace SocketAtm.Server.Ledger.LiteDb;

/// <summary>
/// Records the writer has read or written, kept so that the next batch touching the same card, account, day or terminal finds
/// them without a LiteDB lookup (the lookups were the largest share of the writer's time). Write-through: only the
/// writer thread changes the ledger and it puts every record it stores here, so an entry is never stale; after a
/// rollback the store forgets everything. Misses are not kept, so a record inserted later is found.
/// </summary>
/// <remarks>
/// Records, not LiteDB documents: a document costs several times the memory. Bounded by starting over when full:
/// cheaper than tracking recency on every hit, and the records in use come back within a batch or two.
/// </remarks>
internal sealed class RecordCache<TKey, TRecord>(int capacity)
    where TKey : notnull
    where TRecord : class
{
    private readonly Dictionary<TKey, TRecord> _records = [];

    public int Count => _records.Count;

    public bool TryGet(TKey key, [NotNullWhen(true)] out TRecord? record) => _records.TryGetValue(key, out record);

    /// <summary>The cached record, or what <paramref name="load"/> finds (kept when found); static loads allocate nothing.</summary>
    public TRecord? GetOrLoad<TState>(TKey key, TState state, Func<TState, TKey, TRecord?> load)
    {
        ArgumentNullException.ThrowIfNull(load);
        if (_records.TryGetValue(key, out var record))
        {
            return record;
        }

        record = load(state, key);
        if (record is not null)
        {
            Put(key, record);
        }

        return record;
    }

    public void Put(TKey key, TRecord record)
    {
        if (capacity == 0)
        {
            return;
        }

        if (_records.Count >= capacity && !_records.ContainsKey(key))
        {
            _records.Clear();
        }

        _records[key] = record;
    }

    public void Clear() => _records.Clear();
}
