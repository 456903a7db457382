namespace SocketAtm.Server.Handlers;

/// <summary>
/// Counts each terminal's key exchanges over a sliding window: a ring of the times of its last
/// <see cref="KeyExchangeOptions.KeyExchangeLimit"/> exchanges. An exchange is granted when the oldest of them is older than
/// the window. At most <see cref="MaxTrackedTerminals"/> terminals are tracked; terminals whose exchanges have all left the
/// window are forgotten first, and when every tracked terminal is still inside its window a new one is refused rather
/// than let the table grow (only registered terminals that signed on and authenticated get this far).
/// </summary>
internal sealed class KeyExchangeRateLimit(KeyExchangeOptions options, TimeProvider time)
{
    /// <summary>Terminals tracked at most (each holds <see cref="KeyExchangeOptions.KeyExchangeLimit"/> timestamps): about 20 MB at the default limit (a tracked terminal is its id, its entry and ten timestamps, some 200 bytes).</summary>
    public const int MaxTrackedTerminals = 100_000;

    private readonly Dictionary<string, Exchanges> _byTerminal = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public int Limit => options.KeyExchangeLimit;

    public TimeSpan Window => options.KeyExchangeWindow;

    /// <summary>Terminals tracked now.</summary>
    public int Tracked
    {
        get
        {
            lock (_lock)
            {
                return _byTerminal.Count;
            }
        }
    }

    /// <summary>Counts and grants an exchange for <paramref name="terminalId"/>, or refuses it and says why (and whether to log).</summary>
    public KeyExchangeGrant TryAcquire(string terminalId)
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            if (!_byTerminal.TryGetValue(terminalId, out var exchanges))
            {
                if (_byTerminal.Count >= MaxTrackedTerminals && !ForgetIdle(now))
                {
                    return KeyExchangeGrant.TrackingFull;
                }

                exchanges = new Exchanges(options.KeyExchangeLimit);
                _byTerminal.Add(terminalId, exchanges);
            }

            if (exchanges.IsFull && time.GetElapsedTime(exchanges.Oldest, now) < options.KeyExchangeWindow)
            {
                var first = !exchanges.RefusalLogged;
                exchanges.RefusalLogged = true;
                return first ? KeyExchangeGrant.Limited : KeyExchangeGrant.LimitedAgain;
            }

            exchanges.Add(now);
            return KeyExchangeGrant.Granted;
        }
    }

    /// <summary>Forgets the terminals whose every exchange has left the window; true when any was forgotten.</summary>
    private bool ForgetIdle(long now)
    {
        var idle = _byTerminal.Where(pair => time.GetElapsedTime(pair.Value.Newest, now) >= options.KeyExchangeWindow).Select(pair => pair.Key).ToList();
        foreach (var terminalId in idle)
        {
            _byTerminal.Remove(terminalId);
        }

        return idle.Count > 0;
    }

    private sealed class Exchanges(int limit)
    {
        private readonly long[] _times = new long[limit];
        private int _count;
        private int _next;

        public bool IsFull => _count == _times.Length;

        /// <summary>The oldest exchange kept (once full: the one the window must have passed for another to be granted).</summary>
        public long Oldest => _times[IsFull ? _next : 0];

        public long Newest => _times[(_next + _times.Length - 1) % _times.Length];

        /// <summary>True once a refusal was logged; cleared by the next granted exchange.</summary>
        public bool RefusalLogged { get; set; }

        public void Add(long timestamp)
        {
            _times[_next] = timestamp;
            _next = (_next + 1) % _times.Length;
            _count = Math.Min(_count + 1, _times.Length);
            RefusalLogged = false;
        }
    }
}
