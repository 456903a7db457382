namespace SocketAtm.Server.Sessions;

/// <summary>
/// The clock of a connection over which no terminal is signed on (<see cref="SessionOptions.SignOnTimeout"/>): it runs
/// from the session's start and again from its last sign-off, and stops at a sign-on. When it passes, the session is
/// woken (its pending read cancelled) and closes. Keep-alives and echo tests never touch it, which is the point: they
/// keep a connection alive only once a terminal has signed on over it.
/// </summary>
internal sealed class SignOnDeadline : IDisposable
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private readonly Action _passed;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private long _startedAt;
    private bool _running;
    private volatile bool _expired;
    private bool _disposed;

    /// <param name="passed">Called once the deadline has passed with no terminal signed on (on a timer thread); it only wakes the session.</param>
    public SignOnDeadline(TimeProvider time, TimeSpan timeout, Action passed)
    {
        _time = time;
        _timeout = timeout;
        _passed = passed;
        _timer = time.CreateTimer(static state => ((SignOnDeadline)state!).Fire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>True once the deadline has passed while it ran; the session then closes.</summary>
    public bool Expired => _expired;

    /// <summary>(Re)starts the clock from now: the session began, or its last terminal signed off.</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return; // a sign-off handled after an aborted session ended
            }

            _running = true;
            _expired = false;
            _startedAt = _time.GetTimestamp();
            _timer.Change(_timeout, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>A terminal signed on: the connection is no longer at risk, even if the timer is firing right now.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _running = false;
            _expired = false;
            if (_disposed)
            {
                return;
            }

            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _running = false;
        }

        _timer.Dispose();
    }

    private void Fire()
    {
        lock (_gate)
        {
            // A stop or a restart that raced with this callback wins: only a deadline still running and passed counts.
            if (!_running || _disposed)
            {
                return;
            }

            var remaining = _timeout - _time.GetElapsedTime(_startedAt);
            if (remaining > TimeSpan.Zero)
            {
                _timer.Change(remaining, Timeout.InfiniteTimeSpan); // the callback of an earlier start, or a timer a little early
                return;
            }

            _running = false;
            _expired = true;
        }

        _passed();
    }
}
