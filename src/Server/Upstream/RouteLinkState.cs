namespace SocketAtm.Server.Upstream;

/// <summary>
/// The live state of one route's link: which connections are up and signed on, when that last changed, and counters of
/// what happened. Counters are lock-free; connection state changes (rare) take a lock and raise <see cref="Changed"/>.
/// </summary>
internal sealed class RouteLinkState(string route, int connections, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly bool[] _up = new bool[connections];
    private readonly string?[] _signedOnAt = new string?[connections];
    private DateTimeOffset _lastChange = time.GetUtcNow();
    private long _requests;
    private long _answered;
    private long _timedOut;
    private long _notSent;
    private long _untrusted;
    private long _late;
    private long _unmatched;
    private long _framingErrors;
    private long _linkChanges;

    /// <summary>Raised after a connection came up, signed on or went down (not under the lock).</summary>
    public event Action<RouteLinkState>? Changed;

    public string Route { get; } = route;

    public void Connected(int connection) => Set(connection, up: true, signedOnAt: null);

    public void SignedOn(int connection, string endpoint)
    {
        Interlocked.Increment(ref _linkChanges);
        Set(connection, up: true, endpoint);
    }

    public void Disconnected(int connection, bool wasSignedOn)
    {
        if (wasSignedOn)
        {
            Interlocked.Increment(ref _linkChanges);
        }

        Set(connection, up: false, signedOnAt: null);
    }

    public void CountRequest() => Interlocked.Increment(ref _requests);

    public void CountAnswered() => Interlocked.Increment(ref _answered);

    public void CountTimedOut() => Interlocked.Increment(ref _timedOut);

    public void CountNotSent() => Interlocked.Increment(ref _notSent);

    public void CountUntrusted() => Interlocked.Increment(ref _untrusted);

    public void CountLate() => Interlocked.Increment(ref _late);

    public void CountUnmatched() => Interlocked.Increment(ref _unmatched);

    public void CountFramingError() => Interlocked.Increment(ref _framingErrors);

    public RouteLinkStatus Snapshot()
    {
        lock (_lock)
        {
            return new RouteLinkStatus
            {
                Route = Route,
                Connections = _up.Length,
                ConnectionsUp = _up.Count(up => up),
                SignedOn = _signedOnAt.Count(at => at is not null),
                Endpoints = [.. _signedOnAt],
                LastChange = _lastChange,
                Requests = Interlocked.Read(ref _requests),
                Answered = Interlocked.Read(ref _answered),
                TimedOut = Interlocked.Read(ref _timedOut),
                NotSent = Interlocked.Read(ref _notSent),
                Untrusted = Interlocked.Read(ref _untrusted),
                LateAnswers = Interlocked.Read(ref _late),
                UnmatchedAnswers = Interlocked.Read(ref _unmatched),
                FramingErrors = Interlocked.Read(ref _framingErrors),
                LinkChanges = Interlocked.Read(ref _linkChanges),
            };
        }
    }

    private void Set(int connection, bool up, string? signedOnAt)
    {
        lock (_lock)
        {
            _up[connection] = up;
            _signedOnAt[connection] = signedOnAt;
            _lastChange = time.GetUtcNow();
        }

        Changed?.Invoke(this);
    }
}
