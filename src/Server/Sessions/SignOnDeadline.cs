using System.IO.Pipelines;

namespace SocketAtm.Server.Sessions;

/// <summary>
/// The clock of a connection over which no terminal is signed on (<see cref="SessionOptions.SignOnTimeout"/>): it runs
/// from the session's start and again from its last sign-off, and stops at a sign-on. When it passes, the session is
/// woken (its pending read cancelled) and closes. Keep-alives and echo tests never touch it, which is the point: they
/// keep a connection alive only once a terminal has signed on over it. It also tells the listener, once, that the
/// connection's first terminal signed on (the cap on connections without one).
/// </summary>
internal sealed class SignOnDeadline : IDisposable
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private readonly PipeReader _input;
    private Action? _firstSignedOn;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private long _startedAt;
    private bool _running;
    private volatile bool _expired;
    private bool _disposed;

    /// <param name="input">The session's input, whose pending read is cancelled when the deadline passes, so the read loop sees it.</param>
    /// <param name="firstSignedOn">Called once, when a terminal first signs on over the connection.</param>
    public SignOnDeadline(TimeProvider time, TimeSpan timeout, PipeReader input, Action? firstSignedOn)
    {
        _time = time;
        _timeout = timeout;
        _input = input;
        _firstSignedOn = firstSignedOn;
        _timer = time.CreateTimer(static state => ((SignOnDeadline)state!).Fire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>True once the deadline has passed while it ran; the session then closes.</summary>
    public bool Expired => _expired;

    /// <summary>
    /// Told by <see cref="SessionTerminals"/>, under its lock, that the first terminal signed on (<paramref name="any"/>)
    /// or the last signed off.
    /// </summary>
    public void AnySignedOnChanged(bool any)
    {
        if (!any)
        {
            Start();
            return;
        }

        Stop();
        Interlocked.Exchange(ref _firstSignedOn, null)?.Invoke();
    }

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

        try
        {
            _input.CancelPendingRead(); // the read loop wakes, sees Expired and closes the connection
        }
        catch (Exception exception) when (exception is ObjectDisposedException or InvalidOperationException)
        {
            // The session ended meanwhile.
        }
    }
}
