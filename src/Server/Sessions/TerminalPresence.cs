using System.Collections.Concurrent;

namespace SocketAtm.Server.Sessions;

/// <summary>
/// Which terminals are signed on to this host now, over how many connections, and when each was last heard from: what the
/// operations console lists. Sign-ons and sign-offs are rare; a request only stamps its terminal's entry (no allocation).
/// A terminal stays listed, signed off, after its last connection ends, until <see cref="Capacity"/> entries push the
/// longest-silent signed-off ones out: only registered terminals can sign on, and the cap bounds even that.
/// </summary>
internal sealed class TerminalPresence(TimeProvider time, int capacity = TerminalPresence.DefaultCapacity)
{
    public const int DefaultCapacity = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _evicting = new();

    public int Capacity { get; } = capacity;

    /// <summary>Terminals signed on over at least one connection now.</summary>
    public int SignedOnCount => _entries.Values.Count(entry => entry.Connections > 0);

    public void SignedOn(string terminalId, string? remoteAddress)
    {
        ArgumentNullException.ThrowIfNull(terminalId);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var entry = _entries.GetOrAdd(terminalId, static id => new Entry(id));
        lock (entry)
        {
            if (entry.Connections == 0)
            {
                entry.SignedOnAt = now;
            }

            entry.Connections++;
            entry.RemoteAddress = remoteAddress;
            entry.LastActivity = now;
        }

        if (_entries.Count > Capacity)
        {
            EvictSignedOff();
        }
    }

    public void SignedOff(string terminalId)
    {
        if (_entries.TryGetValue(terminalId, out var entry))
        {
            lock (entry)
            {
                entry.Connections = Math.Max(0, entry.Connections - 1);
                entry.LastActivity = time.GetUtcNow().ToUnixTimeMilliseconds();
            }
        }
    }

    /// <summary>A request of <paramref name="terminalId"/> was answered: its last activity is now.</summary>
    public void Touched(string terminalId)
    {
        if (_entries.TryGetValue(terminalId, out var entry))
        {
            Volatile.Write(ref entry.LastActivity, time.GetUtcNow().ToUnixTimeMilliseconds());
        }
    }

    /// <summary>Up to <paramref name="limit"/> terminals, signed on first, then the most recently active.</summary>
    public IReadOnlyList<TerminalPresenceView> Snapshot(int limit)
    {
        var views = new List<TerminalPresenceView>(Math.Min(_entries.Count, limit));
        foreach (var entry in _entries.Values)
        {
            lock (entry)
            {
                views.Add(new TerminalPresenceView(entry.TerminalId, entry.Connections, entry.SignedOnAt, Volatile.Read(ref entry.LastActivity), entry.RemoteAddress));
            }
        }

        views.Sort(static (a, b) => a.Connections > 0 != b.Connections > 0 ? (a.Connections > 0 ? -1 : 1) : b.LastActivityMs.CompareTo(a.LastActivityMs));
        return views.Count > limit ? views[..limit] : views;
    }

    private void EvictSignedOff()
    {
        lock (_evicting)
        {
            var excess = _entries.Count - Capacity;
            if (excess <= 0)
            {
                return;
            }

            foreach (var silent in _entries.Values.Where(entry => entry.Connections == 0).OrderBy(entry => entry.LastActivity).Take(excess).ToList())
            {
                _entries.TryRemove(new KeyValuePair<string, Entry>(silent.TerminalId, silent));
            }
        }
    }

    private sealed class Entry(string terminalId)
    {
        public readonly string TerminalId = terminalId;
        public int Connections;
        public long SignedOnAt;
        public long LastActivity;
        public string? RemoteAddress;
    }
}
