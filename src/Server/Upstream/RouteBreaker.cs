using SocketAtm.Server.Diagnostics;

namespace SocketAtm.Server.Upstream;

/// <summary>
/// A route's circuit breaker over its financial requests (0100, 0200): <c>BreakerFailures</c> of them timed out in a row
/// — no answer between — within <c>BreakerWindow</c> open it; open, none is sent; after <c>BreakerOpenFor</c> it is
/// half-open and lets exactly one through as its probe, whose answer closes it and whose timeout opens it again.
/// Network management and advices are never held back nor counted: they have their own retries.
/// </summary>
/// <remarks>
/// The closed path reads one field and writes nothing unless a timeout or the first answer after one came, so a
/// healthy route's requests neither allocate nor contend; transitions (rare) take a small lock and are logged, measured
/// and raised through <see cref="Changed"/> once each. Only a timeout of the route's budget counts: a lost connection
/// is the link's business, a cancellation or a stop the host's. An answer that fails the contract's checks still shows
/// the issuer up, so it counts as an answer.
/// </remarks>
internal sealed class RouteBreaker : IDisposable
{
    private readonly Lock _lock = new();
    private readonly RouteContext _context;
    private readonly int _failures;
    private readonly TimeSpan _window;
    private readonly TimeSpan _openFor;
    private readonly ITimer _halfOpenTimer;

    // The timestamps of the last timeouts in a row, a ring: once it holds _failures of them, _next is the oldest.
    private readonly long[] _timeouts;
    private int _next;
    private int _consecutive;
    private int _state;
    private volatile bool _probeOut;
    private long _opens;

    public RouteBreaker(int failures, TimeSpan window, TimeSpan openFor, RouteContext context)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failures, 1);
        ArgumentNullException.ThrowIfNull(context);
        _failures = failures;
        _window = window;
        _openFor = openFor;
        _context = context;
        _timeouts = new long[failures];
        _halfOpenTimer = context.Time.CreateTimer(static self => ((RouteBreaker)self!).OpenTimeOver(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        context.Metrics.BreakerChanged(context.Name, null, Tag(BreakerState.Closed));
    }

    /// <summary>Raised after every transition (not under the lock).</summary>
    public event Action? Changed;

    public BreakerState State => (BreakerState)Volatile.Read(ref _state);

    /// <summary>True while a financial request would not be sent: open, or half-open with its probe out.</summary>
    public bool IsRefusing => State switch
    {
        BreakerState.Open => true,
        BreakerState.HalfOpen => _probeOut,
        _ => false,
    };

    /// <summary>How many times the breaker opened (a probe's timeout included).</summary>
    public long Opens => Interlocked.Read(ref _opens);

    /// <summary>Whether a request of <paramref name="mti"/> may be sent now; its end goes back to <see cref="Ended"/> with the ticket.</summary>
    public BreakerTicket TryPass(int mti)
    {
        if (!MessageTypes.IsFinancialRequest(mti))
        {
            return BreakerTicket.Uncounted;
        }

        if (Volatile.Read(ref _state) == (int)BreakerState.Closed)
        {
            return BreakerTicket.Counted;
        }

        lock (_lock)
        {
            switch ((BreakerState)_state)
            {
                case BreakerState.Closed:
                    return BreakerTicket.Counted;
                case BreakerState.HalfOpen when !_probeOut:
                    _probeOut = true;
                    return BreakerTicket.Probe;
                default:
                    return BreakerTicket.Refused;
            }
        }
    }

    /// <summary>How the request <see cref="TryPass"/> let through ended; a probe that ended in neither an answer nor a timeout frees the probe's place.</summary>
    public void Ended(BreakerTicket ticket, UpstreamReply reply)
    {
        var answered = reply.Outcome is UpstreamOutcome.Answered or UpstreamOutcome.Untrusted;
        var timedOut = reply is { Outcome: UpstreamOutcome.TimedOut, TimedOutReason: TimedOutReason.Timeout };
        switch (ticket)
        {
            case BreakerTicket.Counted when answered:
                if (Volatile.Read(ref _consecutive) != 0)
                {
                    lock (_lock)
                    {
                        _consecutive = 0;
                    }
                }

                break;
            case BreakerTicket.Counted when timedOut:
                CountTimeout();
                break;
            case BreakerTicket.Probe:
                ProbeEnded(answered, timedOut);
                break;
        }
    }

    public void Dispose() => _halfOpenTimer.Dispose();

    private void CountTimeout()
    {
        var now = _context.Time.GetTimestamp();
        lock (_lock)
        {
            // A request sent before the breaker opened may time out while it is open: that is not a new failure.
            if (_state != (int)BreakerState.Closed)
            {
                return;
            }

            _timeouts[_next] = now;
            _next = (_next + 1) % _failures;
            _consecutive = Math.Min(_consecutive + 1, _failures);
            if (_consecutive < _failures || _context.Time.GetElapsedTime(_timeouts[_next], now) > _window)
            {
                return;
            }

            OpenLocked();
        }

        UpstreamLog.BreakerOpened(_context.Logger, _context.Name, _failures, _window, _openFor);
        Moved(BreakerState.Closed, BreakerState.Open, "timeouts");
    }

    private void ProbeEnded(bool answered, bool timedOut)
    {
        lock (_lock)
        {
            if (_state != (int)BreakerState.HalfOpen)
            {
                return;
            }

            if (answered)
            {
                _consecutive = 0;
                _probeOut = false;
                Volatile.Write(ref _state, (int)BreakerState.Closed);
            }
            else if (timedOut)
            {
                OpenLocked();
            }
            else
            {
                // Neither answered nor timed out (its connection lost, the caller gone): the next request probes instead.
                _probeOut = false;
                return;
            }
        }

        if (answered)
        {
            UpstreamLog.BreakerClosed(_context.Logger, _context.Name);
            Moved(BreakerState.HalfOpen, BreakerState.Closed, cause: null);
        }
        else
        {
            UpstreamLog.BreakerReopened(_context.Logger, _context.Name, _openFor);
            Moved(BreakerState.HalfOpen, BreakerState.Open, "probe_timed_out");
        }
    }

    private void OpenTimeOver()
    {
        lock (_lock)
        {
            if (_state != (int)BreakerState.Open)
            {
                return;
            }

            _probeOut = false;
            Volatile.Write(ref _state, (int)BreakerState.HalfOpen);
        }

        UpstreamLog.BreakerHalfOpen(_context.Logger, _context.Name);
        Moved(BreakerState.Open, BreakerState.HalfOpen, cause: null);
    }

    private void OpenLocked()
    {
        _consecutive = 0;
        _probeOut = false;
        Interlocked.Increment(ref _opens);
        Volatile.Write(ref _state, (int)BreakerState.Open);
        _halfOpenTimer.Change(_openFor, Timeout.InfiniteTimeSpan);
    }

    private void Moved(BreakerState from, BreakerState to, string? cause)
    {
        var metrics = _context.Metrics;
        if (cause is not null)
        {
            metrics.BreakerOpened(_context.Name, cause);
        }

        metrics.BreakerChanged(_context.Name, Tag(from), Tag(to));
        Changed?.Invoke();
    }

    private static string Tag(BreakerState state) => UpstreamReasonTags.Of(state);
}
