using System.IO.Pipelines;

namespace SocketAtm.Server.Sessions;

/// <summary>
/// The two clocks a session's reads run against: the idle deadline (no frame completed for
/// <see cref="SessionOptions.IdleTimeout"/>) and the partial-frame deadline (a frame begun and not complete within
/// <see cref="SessionOptions.PartialFrameTimeout"/>, the slow-sender defence). One timer, armed before each read for
/// whichever deadline applies, cancels the pending read when it passes; the read loop then decides whether to close.
/// </summary>
internal sealed class ReadDeadlines : IDisposable
{
    private readonly PipeReader _input;
    private readonly TimeProvider _time;
    private readonly TimeSpan _idleTimeout;
    private readonly TimeSpan _partialFrameTimeout;
    private readonly ITimer _timer;
    private DateTimeOffset _lastFrameAt;
    private DateTimeOffset? _partialSince;
    private DateTimeOffset _deadline;
    private volatile bool _fired;

    /// <summary>Starts the idle clock now.</summary>
    public ReadDeadlines(PipeReader input, TimeProvider time, SessionOptions options)
    {
        _input = input;
        _time = time;
        _idleTimeout = options.IdleTimeout;
        _partialFrameTimeout = options.PartialFrameTimeout;
        _lastFrameAt = time.GetUtcNow();
        _timer = time.CreateTimer(
            static state =>
            {
                var deadlines = (ReadDeadlines)state!;
                deadlines._fired = true;
                deadlines._input.CancelPendingRead();
            },
            this,
            Timeout.InfiniteTimeSpan,
            Timeout.InfiniteTimeSpan);
    }

    /// <summary>True while the bytes buffered begin a frame not yet complete (the partial-frame deadline applies), false while idle.</summary>
    public bool InsideFrame => _partialSince is not null;

    /// <summary>
    /// True when the deadline armed for the last read has passed and its timer cancelled that read. Ask it only of a
    /// cancelled read: a read that returned bytes is never cut short by a deadline.
    /// </summary>
    public bool Passed => _fired && _time.GetUtcNow() >= _deadline;

    /// <summary>Arms the timer for the deadline that applies now; call before each read.</summary>
    public void Arm()
    {
        _deadline = _partialSince is { } since ? since + _partialFrameTimeout : _lastFrameAt + _idleTimeout;
        var due = _deadline - _time.GetUtcNow();
        _fired = false;
        _timer.Change(due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Stops the timer; call as soon as the read returns.</summary>
    public void Disarm() => _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

    /// <summary>A frame was complete: the idle clock starts again.</summary>
    public void FrameCompleted() => _lastFrameAt = _time.GetUtcNow();

    /// <summary>
    /// Records what the read left buffered. The partial-frame clock runs from the first byte of the frame still
    /// incomplete: a busy terminal whose reads keep ending mid-frame is not a slow sender.
    /// </summary>
    public void Buffered(long bytes, int framesTaken) =>
        _partialSince = bytes == 0 ? null
            : framesTaken > 0 ? _time.GetUtcNow()
            : _partialSince ?? _time.GetUtcNow();

    public void Dispose() => _timer.Dispose();
}
