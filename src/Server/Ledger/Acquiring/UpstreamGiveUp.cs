namespace SocketAtm.Server.Ledger.Acquiring;

/// <summary>
/// The acquirer gave up on a forwarded request: no answer within the route's budget, an answer that cannot be trusted, the
/// request not sent, or a restart that found it still pending. The terminal is answered 91 and a reversal is owed upstream.
/// </summary>
internal sealed record UpstreamGiveUp : UpstreamStep
{
    public static readonly UpstreamGiveUp Instance = new();
}
