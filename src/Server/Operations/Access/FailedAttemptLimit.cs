using System.Net;
using SocketAtm.Server.Sessions;

namespace SocketAtm.Server.Operations.Access;

/// <summary>
/// Failed operator credentials per remote address (counted as <see cref="RemoteAddressKey"/> counts them: IPv6 per /64):
/// after <see cref="MaxFailures"/> within one window, which starts at the address's first failure, the address is
/// refused for the rest of that window, whatever it presents. Thread-safe; deterministic on its <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// Addresses are chosen by the remote party, so at most <c>maxTrackedAddresses</c> are tracked, as
/// <see cref="Diagnostics.LogRateLimit"/> bounds its table: when full, addresses whose window has passed are dropped (at
/// most once a window, so a full table costs one pass per window), and while it is still full the failures of new
/// addresses share one count, <see cref="OtherAddresses"/>. That fails closed: an attacker with more addresses than the
/// table holds gets <see cref="MaxFailures"/> guesses a window for all of them together, and for that window a new
/// address is refused until the table has room (an address already tracked, or one that never fails, is not affected).
/// </remarks>
internal sealed class FailedAttemptLimit
{
    /// <summary>The key the failures of new addresses share while the table is full.</summary>
    public const string OtherAddresses = "other addresses";

    private readonly Dictionary<IPAddress, Entry> _entries = [];
    private readonly Entry _others = new(0);
    private readonly TimeProvider _time;
    private readonly int _maxTracked;
    private readonly Lock _lock = new();
    private long _lastPurge;

    public FailedAttemptLimit(int maxFailures, TimeSpan window, int maxTrackedAddresses, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFailures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTrackedAddresses, 1);
        ArgumentNullException.ThrowIfNull(time);
        MaxFailures = maxFailures;
        Window = window;
        _maxTracked = maxTrackedAddresses;
        _time = time;
        _lastPurge = time.GetTimestamp();
        _others.WindowStart = _lastPurge - (long)(window.TotalSeconds * time.TimestampFrequency) - 1; // its window has passed
    }

    public int MaxFailures { get; }

    public TimeSpan Window { get; }

    /// <summary>Addresses tracked now.</summary>
    public int Tracked
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>True when <paramref name="address"/> is refused now; then <paramref name="retryAfter"/> is what is left of its window.</summary>
    public bool IsRefused(IPAddress? address, out TimeSpan retryAfter)
    {
        var key = KeyOf(address);
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            var entry = _entries.GetValueOrDefault(key) ?? (_entries.Count >= _maxTracked ? _others : null);
            return IsRefused(entry, now, out retryAfter);
        }
    }

    /// <summary>
    /// Counts a failed credential from <paramref name="address"/>. <see cref="Failure.NowRefused"/> is true for the failure that
    /// reached <see cref="MaxFailures"/>: the one to log, once an address and window.
    /// </summary>
    public Failure Record(IPAddress? address)
    {
        var key = KeyOf(address);
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            var countedAs = RemoteAddressKey.Of(key);
            if (!_entries.TryGetValue(key, out var entry))
            {
                if (_entries.Count >= _maxTracked && !MadeRoom(now))
                {
                    entry = _others;
                    countedAs = OtherAddresses;
                }
                else
                {
                    entry = new Entry(now);
                    _entries.Add(key, entry);
                }
            }

            if (_time.GetElapsedTime(entry.WindowStart, now) >= Window)
            {
                entry.WindowStart = now;
                entry.Failures = 0;
            }

            entry.Failures++;
            return new Failure(countedAs, entry.Failures, entry.Failures == MaxFailures);
        }
    }

    private static IPAddress KeyOf(IPAddress? address) => RemoteAddressKey.Normalize(address ?? IPAddress.None);

    private bool IsRefused(Entry? entry, long now, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (entry is null || entry.Failures < MaxFailures)
        {
            return false;
        }

        var elapsed = _time.GetElapsedTime(entry.WindowStart, now);
        if (elapsed >= Window)
        {
            return false;
        }

        retryAfter = Window - elapsed;
        return true;
    }

    /// <summary>Drops the addresses whose window has passed, at most once a window; true when there is room now.</summary>
    private bool MadeRoom(long now)
    {
        if (_time.GetElapsedTime(_lastPurge, now) >= Window)
        {
            _lastPurge = now;
            foreach (var (key, entry) in _entries)
            {
                if (_time.GetElapsedTime(entry.WindowStart, now) >= Window)
                {
                    _entries.Remove(key);
                }
            }
        }

        return _entries.Count < _maxTracked;
    }

    /// <summary>One failure counted: the address (or <see cref="OtherAddresses"/>) it was counted under, the failures in its window, and whether it now is refused.</summary>
    internal readonly record struct Failure(string CountedAs, int Failures, bool NowRefused);

    private sealed class Entry(long windowStart)
    {
        public long WindowStart { get; set; } = windowStart;

        public int Failures { get; set; }
    }
}
