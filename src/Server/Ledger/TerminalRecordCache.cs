using System.Collections.Concurrent;
using System.Diagnostics;

namespace SocketAtm.Server.Ledger;

/// <summary>
/// A host's memory of terminal records, each served for <c>freshFor</c> after it was read. Reads and key updates race
/// (a read that started before a key exchange may end after it), so an entry is only ever replaced by a record of a
/// newer <see cref="TerminalRecord.KeyVersion"/>, or of the same version read later: the cache never goes back to keys
/// that were replaced. "Not registered" ranks below every record.
/// </summary>
/// <remarks>
/// Records of registered terminals are as many as the operator registered. "Not registered" answers (PostgreSQL caches
/// the answer for any DE 41 it was asked about, so that a flood of one unknown id is not a database read per message)
/// are as many as a remote party cares to send distinct ids: at most <see cref="MaxNotRegistered"/> are held, and when
/// one more arrives they are all forgotten and counting starts over. Forgetting one costs only a database read at its
/// next use, and cannot bring back replaced keys (every record outranks it), so that is cheaper than tracking recency.
/// Reads take no lock; changes take one, so the count is exact.
/// </remarks>
internal sealed class TerminalRecordCache(TimeSpan freshFor, int maxNotRegistered = TerminalRecordCache.MaxNotRegistered)
{
    /// <summary>"Not registered" answers held at most (an entry is some 150 bytes: about 1.5 MB).</summary>
    public const int MaxNotRegistered = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _changing = new();
    private int _notRegistered;

    /// <summary>Entries held now, registered and not.</summary>
    public int Count => _entries.Count;

    /// <summary>"Not registered" answers held now (at most <see cref="MaxNotRegistered"/>).</summary>
    public int NotRegisteredCount => Volatile.Read(ref _notRegistered);

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
        lock (_changing)
        {
            if (_entries.TryGetValue(terminalId, out var held))
            {
                if (!offered.Supersedes(held))
                {
                    return held.Terminal;
                }

                _notRegistered += offered.CountsAsNotRegistered - held.CountsAsNotRegistered;
            }
            else
            {
                if (offered.IsNotRegistered && _notRegistered >= maxNotRegistered)
                {
                    ForgetNotRegistered();
                }

                _notRegistered += offered.CountsAsNotRegistered;
            }

            _entries[terminalId] = offered;
            return terminal;
        }
    }

    /// <summary>Forgets a terminal that was deleted (a deletion has no newer version to offer).</summary>
    public void Forget(string terminalId)
    {
        lock (_changing)
        {
            if (_entries.TryRemove(terminalId, out var held))
            {
                _notRegistered -= held.CountsAsNotRegistered;
            }
        }
    }

    /// <summary>Drops every "not registered" answer (under the lock); records of registered terminals stay.</summary>
    private void ForgetNotRegistered()
    {
        foreach (var (terminalId, entry) in _entries)
        {
            if (entry.IsNotRegistered)
            {
                _entries.TryRemove(terminalId, out _);
            }
        }

        _notRegistered = 0;
    }

    private sealed record Entry(TerminalRecord? Terminal, long ReadAt)
    {
        public bool IsNotRegistered => Terminal is null;

        public int CountsAsNotRegistered => IsNotRegistered ? 1 : 0;

        private long Version => Terminal?.KeyVersion ?? 0;

        public bool Supersedes(Entry held) => Version > held.Version || (Version == held.Version && ReadAt >= held.ReadAt);
    }
}
