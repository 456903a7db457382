using System.Diagnostics;
using SocketAtm.Server.Diagnostics;

namespace SocketAtm.Server.Upstream;

/// <summary>The span of one exchange with an issuer (<see cref="AtmTracing.UpstreamSpanName"/>, kind Client): its route and how it ended.</summary>
internal static class UpstreamTracing
{
    /// <summary>A child of <paramref name="requestSpan"/> naming the route; null when the request is not traced.</summary>
    public static Activity? Start(Activity? requestSpan, string routeName)
    {
        var span = AtmTracing.StartChild(requestSpan, AtmTracing.UpstreamSpanName, ActivityKind.Client);
        span?.SetTag(AtmTracing.RouteTag, routeName);
        return span;
    }

    /// <summary>
    /// The issuer's DE 39, or why there was no trusted answer; status Error when there was none (nothing sent, a time-out,
    /// an answer that failed its checks), whatever the terminal is answered in the end. The answer's other fields stay out.
    /// </summary>
    public static void Record(Activity span, in UpstreamReply reply)
    {
        ArgumentNullException.ThrowIfNull(span);
        span.SetTag(AtmTracing.UpstreamOutcomeTag, UpstreamReasonTags.Of(reply.Outcome));
        Enum? reason = reply.Outcome switch
        {
            UpstreamOutcome.NotSent => reply.NotSentReason,
            UpstreamOutcome.TimedOut => reply.TimedOutReason,
            UpstreamOutcome.Untrusted => reply.UntrustedReason,
            _ => null,
        };
        if (reason is null)
        {
            span.SetTag(AtmTracing.IssuerResponseCodeTag, reply.Answer?.GetString(DataElements.ResponseCode));
            return;
        }

        var tag = UpstreamReasonTags.Of(reason);
        span.SetTag(AtmTracing.UpstreamReasonTag, tag);
        span.SetStatus(ActivityStatusCode.Error, UpstreamReasonTags.Of(reply.Outcome) + ": " + tag);
    }
}
