using System.Security.Cryptography;
using System.Text;

namespace SocketAtm.Server.Operations.Access;

/// <summary>
/// The operators signed in through the sign-in page: each session is a random 256-bit id, sent as the cookie, held here
/// until it expires (<c>Operations:SessionLifetime</c> from the sign-in, not extended by use) or is signed out. The table
/// is in memory only, so a restart signs everyone out and there is no key to store or leak; only the SHA-256 of each id
/// is held and looked up, so neither a memory dump nor the lookup's timing gives an id away. Bounded: at
/// <c>Operations:MaxSessions</c> the expired are dropped, then the oldest. Thread-safe.
/// </summary>
internal sealed class OperatorSessions
{
    private const int IdBytes = 32;

    private readonly Dictionary<string, DateTimeOffset> _expiries = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly int _maxSessions;
    private readonly Lock _lock = new();

    public OperatorSessions(TimeSpan lifetime, int maxSessions, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSessions, 1);
        ArgumentNullException.ThrowIfNull(time);
        Lifetime = lifetime;
        _maxSessions = maxSessions;
        _time = time;
    }

    public TimeSpan Lifetime { get; }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _expiries.Count;
            }
        }
    }

    /// <summary>A new session's id, valid for <see cref="Lifetime"/>.</summary>
    public string Start()
    {
        var id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(IdBytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (_expiries.Count >= _maxSessions)
            {
                MakeRoom(now);
            }

            _expiries[HashOf(id)] = now + Lifetime;
        }

        return id;
    }

    /// <summary>True when <paramref name="id"/> is a session started here, neither expired nor ended.</summary>
    public bool IsValid(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 2 * IdBytes)
        {
            return false;
        }

        var key = HashOf(id);
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (!_expiries.TryGetValue(key, out var expiry))
            {
                return false;
            }

            if (expiry <= now)
            {
                _expiries.Remove(key);
                return false;
            }

            return true;
        }
    }

    /// <summary>Signs <paramref name="id"/> out; nothing when it is no session.</summary>
    public void End(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 2 * IdBytes)
        {
            return;
        }

        var key = HashOf(id);
        lock (_lock)
        {
            _expiries.Remove(key);
        }
    }

    private static string HashOf(string id) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(id)));

    private void MakeRoom(DateTimeOffset now)
    {
        foreach (var (key, expiry) in _expiries)
        {
            if (expiry <= now)
            {
                _expiries.Remove(key);
            }
        }

        if (_expiries.Count >= _maxSessions)
        {
            // All started with the same lifetime: the earliest expiry is the oldest sign-in.
            _expiries.Remove(_expiries.MinBy(pair => pair.Value).Key);
        }
    }
}
