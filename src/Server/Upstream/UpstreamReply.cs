using SocketAtm.Protocol.Iso8583;

namespace SocketAtm.Server.Upstream;

/// <summary>The end of one exchange with an issuer: exactly one <see cref="Outcome"/>, with its answer or its reason.</summary>
internal readonly record struct UpstreamReply
{
    private UpstreamReply(UpstreamOutcome outcome, IsoMessage? answer, NotSentReason notSent, TimedOutReason timedOut, UntrustedReason untrusted)
    {
        Outcome = outcome;
        Answer = answer;
        NotSentReason = notSent;
        TimedOutReason = timedOut;
        UntrustedReason = untrusted;
    }

    public UpstreamOutcome Outcome { get; }

    /// <summary>The issuer's answer when <see cref="UpstreamOutcome.Answered"/>; the caller owns it. Null otherwise (an untrusted answer is never handed out).</summary>
    public IsoMessage? Answer { get; }

    public NotSentReason NotSentReason { get; }

    public TimedOutReason TimedOutReason { get; }

    public UntrustedReason UntrustedReason { get; }

    /// <summary>True when the request may have reached the issuer without a trusted answer: the acquirer must reverse it.</summary>
    public bool NeedsReversal => Outcome is UpstreamOutcome.TimedOut or UpstreamOutcome.Untrusted;

    public static UpstreamReply Answered(IsoMessage answer) => new(UpstreamOutcome.Answered, answer, NotSentReason.None, TimedOutReason.None, UntrustedReason.None);

    public static UpstreamReply NotSent(NotSentReason reason) => new(UpstreamOutcome.NotSent, null, reason, TimedOutReason.None, UntrustedReason.None);

    public static UpstreamReply TimedOut(TimedOutReason reason) => new(UpstreamOutcome.TimedOut, null, NotSentReason.None, reason, UntrustedReason.None);

    public static UpstreamReply Untrusted(UntrustedReason reason) => new(UpstreamOutcome.Untrusted, null, NotSentReason.None, TimedOutReason.None, reason);

    public override string ToString() => Outcome switch
    {
        UpstreamOutcome.NotSent => $"NotSent ({NotSentReason})",
        UpstreamOutcome.TimedOut => $"TimedOut ({TimedOutReason})",
        UpstreamOutcome.Untrusted => $"Untrusted ({UntrustedReason})",
        _ => $"Answered {Answer?.GetString(DataElements.ResponseCode)}",
    };
}
