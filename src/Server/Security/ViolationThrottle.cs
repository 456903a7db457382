namespace SocketAtm.Server.Security;

/// <summary>
/// Counts security violations per terminal and per remote address (as <c>RemoteAddressKey</c> keys it: IPv6 per /64) in a
/// fixed window that starts at a key's first violation. The first <see cref="ViolationThrottleOptions.ViolationThreshold"/>
/// of a window are journaled and logged one by one, as ever; every further one — once either its terminal or its address
/// is over the threshold — is throttled: answered at once with the same code, and only counted. When a window ends with
/// throttled violations, its <see cref="ViolationSummary"/> waits to be taken (<see cref="TakeEnded"/>): a terminal's
/// becomes one aggregated journal row, an address's one log line. So a flood costs the host a bounded number of durable
/// writes and log lines per key and window, whatever its rate.
/// </summary>
/// <remarks>
/// The keys are chosen by the remote party (any DE 41, any address of a /64), so the table is bounded:
/// <see cref="MaxTrackedKeys"/> terminals and addresses together. Windows are kept in the order they started; when the
/// table is full, ended windows are dropped first, then the oldest window is ended early (its summary, if it has throttled
/// violations, still waits to be taken). Thread-safe; deterministic on its <see cref="TimeProvider"/>.
/// </remarks>
internal sealed class ViolationThrottle
{
    /// <summary>
    /// Terminals and addresses tracked at most: about 20 MB when full (a window is its key, its node and a few counters,
    /// some 200 bytes).
    /// </summary>
    public const int MaxTrackedKeys = 100_000;

    private readonly Dictionary<Key, LinkedListNode<Window>> _windows = [];
    private readonly LinkedList<Window> _byStart = new();
    private readonly List<ViolationSummary> _ended = [];
    private readonly TimeProvider _time;
    private readonly int _maxTrackedKeys;
    private readonly Lock _lock = new();

    /// <param name="maxTrackedKeys">The bound of the table; <see cref="MaxTrackedKeys"/> but in tests.</param>
    public ViolationThrottle(ViolationThrottleOptions options, TimeProvider time, int maxTrackedKeys = MaxTrackedKeys)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTrackedKeys, 1);
        Threshold = options.ViolationThreshold;
        WindowLength = options.ViolationWindow;
        _time = time;
        _maxTrackedKeys = maxTrackedKeys;
    }

    /// <summary>Violations per key and window journaled one by one.</summary>
    public int Threshold { get; }

    /// <summary>The length of each key's window.</summary>
    public TimeSpan WindowLength { get; }

    /// <summary>Terminals and addresses tracked now.</summary>
    public int Tracked
    {
        get
        {
            lock (_lock)
            {
                return _windows.Count;
            }
        }
    }

    /// <summary>
    /// Counts a violation of <paramref name="terminalId"/> from <paramref name="address"/> (either may be null: an unknown
    /// terminal has no terminal to count under, an in-memory connection no address) and says whether it is throttled.
    /// </summary>
    public ViolationVerdict Record(string? terminalId, string? address, ViolationReason reason) => Count(terminalId, address, reason, journaled: null);

    /// <summary>
    /// Counts a violation that was already journaled one by one (<paramref name="journaled"/>) or not, as decided before
    /// it was known to be one (a stale repeat, which is a violation only when the ledger holds no answer for it; see
    /// <see cref="IsThrottled"/>).
    /// </summary>
    public ViolationVerdict RecordHandled(string? terminalId, string? address, ViolationReason reason, bool journaled) =>
        Count(terminalId, address, reason, journaled);

    /// <summary>True when a violation of <paramref name="terminalId"/> from <paramref name="address"/> now would be throttled.</summary>
    public bool IsThrottled(string? terminalId, string? address)
    {
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            return IsAtThreshold(terminalId is null ? null : Find(new Key(true, terminalId), now))
                || IsAtThreshold(address is null ? null : Find(new Key(false, address), now));
        }
    }

    /// <summary>Ends the windows that have passed, and takes the summaries of every window ended with throttled violations.</summary>
    public IReadOnlyList<ViolationSummary> TakeEnded()
    {
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            while (_byStart.First is { } oldest && HasPassed(oldest.Value, now))
            {
                Forget(oldest);
            }

            return Take();
        }
    }

    /// <summary>Ends every window, passed or not (the host is stopping), and takes the summaries of those with throttled violations.</summary>
    public IReadOnlyList<ViolationSummary> TakeAll()
    {
        lock (_lock)
        {
            while (_byStart.First is { } oldest)
            {
                Forget(oldest);
            }

            return Take();
        }
    }

    private ViolationVerdict Count(string? terminalId, string? address, ViolationReason reason, bool? journaled)
    {
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            // Unknown terminals are counted per address only: their DE 41 names nothing to journal under.
            var terminal = terminalId is null || reason == ViolationReason.UnknownTerminal ? null : Enter(new Key(true, terminalId), now);
            var from = address is null ? null : Enter(new Key(false, address), now);
            var throttled = journaled is { } wasJournaled
                ? !wasJournaled
                : IsAtThreshold(terminal) || IsAtThreshold(from);
            var terminalStarted = false;
            var addressStarted = false;
            if (throttled)
            {
                terminalStarted = terminal?.Throttle(reason, address) ?? false;
                addressStarted = from?.Throttle(reason, address) ?? false;
            }
            else
            {
                terminal?.Journal();
                from?.Journal();
            }

            return new ViolationVerdict(throttled, terminalStarted, addressStarted, _ended.Count > 0);
        }
    }

    private bool IsAtThreshold(Window? window) => window is not null && window.Count >= Threshold;

    /// <summary>The key's window, ended and begun again when it has passed, or a new one.</summary>
    private Window Enter(Key key, long now)
    {
        if (_windows.TryGetValue(key, out var node))
        {
            if (HasPassed(node.Value, now))
            {
                End(node.Value);
                node.Value.Restart(now, _time.GetUtcNow());
                _byStart.Remove(node);
                _byStart.AddLast(node);
            }

            return node.Value;
        }

        if (_windows.Count >= _maxTrackedKeys)
        {
            MakeRoom(now);
        }

        node = _byStart.AddLast(new Window(key, now, _time.GetUtcNow()));
        _windows.Add(key, node);
        return node.Value;
    }

    /// <summary>The key's window while it has not passed; null otherwise (a violation now would begin a new one).</summary>
    private Window? Find(Key key, long now) =>
        _windows.TryGetValue(key, out var node) && !HasPassed(node.Value, now) ? node.Value : null;

    /// <summary>Drops the windows that have passed, or when every one is still running, ends the oldest early.</summary>
    private void MakeRoom(long now)
    {
        var forgotten = false;
        while (_byStart.First is { } oldest && HasPassed(oldest.Value, now))
        {
            Forget(oldest);
            forgotten = true;
        }

        if (!forgotten && _byStart.First is { } first)
        {
            Forget(first);
        }
    }

    private void Forget(LinkedListNode<Window> node)
    {
        End(node.Value);
        _byStart.Remove(node);
        _windows.Remove(node.Value.Key);
    }

    private void End(Window window)
    {
        if (window.Summary(WindowLength) is { } summary)
        {
            _ended.Add(summary);
        }
    }

    private List<ViolationSummary> Take()
    {
        var taken = new List<ViolationSummary>(_ended);
        _ended.Clear();
        return taken;
    }

    private bool HasPassed(Window window, long now) => _time.GetElapsedTime(window.StartedAt, now) >= WindowLength;

    /// <summary>A terminal id (<paramref name="IsTerminal"/>) or an address key: the two never collide.</summary>
    private readonly record struct Key(bool IsTerminal, string Value);

    /// <summary>One key's current window: how many violations, how many journaled, the throttled ones by kind.</summary>
    private sealed class Window(Key key, long startedAt, DateTimeOffset startedAtUtc)
    {
        private int _journaled;
        private int _mac;
        private int _stale;
        private int _unknownTerminal;
        private int _unauthenticated;
        private string? _address;
        private bool _otherAddresses;

        public Key Key { get; } = key;

        public long StartedAt { get; private set; } = startedAt;

        private DateTimeOffset StartedAtUtc { get; set; } = startedAtUtc;

        /// <summary>Violations of this window, journaled or throttled.</summary>
        public int Count { get; private set; }

        public void Journal()
        {
            Count++;
            _journaled++;
        }

        /// <summary>Counts a throttled violation; true when it is the window's first (throttling starts).</summary>
        public bool Throttle(ViolationReason reason, string? address)
        {
            var first = _mac + _stale + _unknownTerminal + _unauthenticated == 0;
            Count++;
            switch (reason)
            {
                case ViolationReason.Mac:
                    _mac++;
                    break;
                case ViolationReason.Stale:
                    _stale++;
                    break;
                case ViolationReason.UnauthenticatedTerminal:
                    _unauthenticated++;
                    break;
                default:
                    _unknownTerminal++;
                    break;
            }

            if (first)
            {
                _address = address;
            }
            else if (!string.Equals(_address, address, StringComparison.Ordinal))
            {
                _otherAddresses = true;
            }

            return first;
        }

        /// <summary>The window's summary when it throttled anything; null otherwise (its violations are all journaled).</summary>
        public ViolationSummary? Summary(TimeSpan window) =>
            _mac + _stale + _unknownTerminal + _unauthenticated == 0
                ? null
                : new ViolationSummary(Key.IsTerminal, Key.Value, StartedAtUtc, window, _journaled, _mac, _stale, _unknownTerminal, _address, _otherAddresses, _unauthenticated);

        public void Restart(long startedAt, DateTimeOffset startedAtUtc)
        {
            StartedAt = startedAt;
            StartedAtUtc = startedAtUtc;
            Count = 0;
            _journaled = 0;
            _mac = 0;
            _stale = 0;
            _unknownTerminal = 0;
            _address = null;
            _otherAddresses = false;
        }
    }
}
