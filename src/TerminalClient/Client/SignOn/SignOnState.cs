using SocketAtm.Client.Diagnostics;
using SocketAtm.Client.Link;

namespace SocketAtm.Client.SignOn;

/// <summary>
/// Over which link one terminal is signed on — none before its sign-on is approved, after it signs off, or when that link
/// closed — and the host's last answer to its sign-on. Requests wait here
/// until it is signed on; every change pulses the connection's signal, which is what wakes them.
/// </summary>
/// <param name="terminalClosing">Cancelled when the terminal closes: nobody waits for a sign-on after that.</param>
internal sealed class SignOnState(
    TerminalConnection connection,
    TerminalClientOptions options,
    CancellationTokenSource terminalClosing)
{
    private volatile LinkSession? _signedOnSession;
    private volatile string? _lastSignOnCode;

    /// <summary>True while the terminal is signed on over a link that is still open.</summary>
    public bool IsSignedOn => _signedOnSession is { IsClosed: false };

    /// <summary>The link the terminal is signed on over (it may have closed since), or null.</summary>
    public LinkSession? Session => _signedOnSession;

    /// <summary>DE 39 of the last sign-on answer (null before the first, or when it went unanswered).</summary>
    public string? LastSignOnResponseCode
    {
        get => _lastSignOnCode;
        set => _lastSignOnCode = value;
    }

    public bool IsSignedOnOver(LinkSession session) => ReferenceEquals(_signedOnSession, session) && !session.IsClosed;

    /// <summary>Inside the gate, just before a financial request goes out: the terminal may have signed off, or the link closed, while it waited.</summary>
    public bool MaySendOver(LinkSession session) => IsSignedOnOver(session);

    /// <summary>The host approved the sign-on over <paramref name="session"/>: requests waiting for it may go.</summary>
    public void SignedOn(LinkSession session)
    {
        _signedOnSession = session;
        Log.SignedOn(connection.Logger, options.TerminalId, session.Id);
        connection.Changed.Pulse();
    }

    /// <summary>The terminal signs off over <paramref name="session"/>; nothing new is sent over it (nobody is woken: nothing became possible).</summary>
    public void SigningOff(LinkSession session) => Interlocked.CompareExchange(ref _signedOnSession, null, session);

    /// <summary><paramref name="session"/> closed: if the terminal was signed on over it, it no longer is.</summary>
    public void LinkClosed(LinkSession session)
    {
        if (Interlocked.CompareExchange(ref _signedOnSession, null, session) == session)
        {
            connection.Changed.Pulse();
        }
    }

    /// <summary>The link the terminal is signed on over once it is; null when that takes longer than <paramref name="timeout"/> or the terminal closes.</summary>
    public async Task<LinkSession?> WaitUntilSignedOnAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var time = connection.Options.TimeProvider;
        var started = time.GetTimestamp();
        while (true)
        {
            var changed = connection.Changed.Next;
            if (_signedOnSession is { IsClosed: false } session)
            {
                return session;
            }

            if (terminalClosing.IsCancellationRequested)
            {
                return null;
            }

            var remaining = timeout == Timeout.InfiniteTimeSpan ? timeout : timeout - time.GetElapsedTime(started);
            if (remaining != Timeout.InfiniteTimeSpan && remaining <= TimeSpan.Zero)
            {
                return null;
            }

            try
            {
                await changed.WaitAsync(remaining, time, cancellationToken);
            }
            catch (TimeoutException)
            {
                return null;
            }
        }
    }
}
