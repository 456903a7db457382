using System.Collections.Concurrent;
using System.Diagnostics;

namespace SocketAtm.Server.Ledger;

/// <summary>
/// A host's memory of terminal records, each served for <c>freshFor</c> after it was read. Reads and key updates race
/// (a read that started before a key exchange may end after it), so an entry is only ever replaced by a record of a
/// newer <see cref="TerminalRecord.KeyVersion"/>, or of the same version read later: the cache never goes back to keys
/// that were replaced. "Not registered" ranks below every record.
/// </summary>
internal sealed class TerminalRecordCache(TimeSpan freshFor)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>The cached record when it was read less than <c>freshFor</c> before <paramref name="now"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public bool TryGetFresh(string terminalId, long now, out TerminalRecord? terminal)
    {
        if (_entries.TryGetValue(terminalId, out var entry) && Stopwatch.GetElapsedTime(entry.ReadAt, now) < freshFor)
        {
            terminal = entry.Terminal;
            return true;
        }

        terminal = null;
        return false;
    }

    /// <summary>The record held, however long ago it was read (for a ledger whose writes all pass through this cache).</summary>
    public TerminalRecord? Find(string terminalId) => _entries.TryGetValue(terminalId, out var entry) ? entry.Terminal : null;

    /// <summary>
    /// Offers what a read that started at <paramref name="readAt"/> (a <see cref="Stopwatch"/> timestamp taken before
    /// it, or the moment a write committed) found, and returns what the cache holds afterwards: the offered record, or a
    /// newer one another read or update stored meanwhile.
    /// </summary>
    public TerminalRecord? Offer(string terminalId, TerminalRecord? terminal, long readAt)
    {
        var offered = new Entry(terminal, readAt);
        return _entries.AddOrUpdate(terminalId, offered, (_, held) => offered.Supersedes(held) ? offered : held).Terminal;
    }

    /// <summary>Forgets a terminal that was deleted (a deletion has no newer version to offer).</summary>
    public void Forget(string terminalId) => _entries.TryRemove(terminalId, out _);

    private sealed record Entry(TerminalRecord? Terminal, long ReadAt)
    {
        private long Version => Terminal?.KeyVersion ?? 0;

        public bool Supersedes(Entry held) => Version > held.Version || (Version == held.Version && ReadAt >= held.ReadAt);
    }
}
