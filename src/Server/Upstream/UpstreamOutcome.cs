namespace SocketAtm.Server.Upstream;

/// <summary>How one exchange with an issuer ended: every request ends as exactly one of these.</summary>
internal enum UpstreamOutcome
{
    /// <summary>A matched answer that passed the contract's checks; <see cref="UpstreamReply.Answer"/> is the caller's.</summary>
    Answered,

    /// <summary>The request left (or may have), and no trusted answer came within the route's timeout: the acquirer reverses.</summary>
    TimedOut,

    /// <summary>Nothing left the host (<see cref="UpstreamReply.NotSentReason"/> says why): nothing to reverse.</summary>
    NotSent,

    /// <summary>An answer came but fails a check (<see cref="UpstreamReply.UntrustedReason"/>): treated as no answer.</summary>
    Untrusted,
}
