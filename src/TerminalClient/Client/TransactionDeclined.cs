namespace SocketAtm.Client;

/// <summary>The host answered with a response code other than 00.</summary>
/// <param name="ResponseCode">DE 39, e.g. <c>51</c>.</param>
/// <param name="Meaning">What the code means, e.g. "Insufficient funds" (<see cref="ResponseCodeText.Meaning"/>).</param>
/// <param name="Balance">DE 54, when the host sent it with the decline.</param>
public sealed record TransactionDeclined(
    string TerminalId,
    RequestTrace Trace,
    string ResponseCode,
    string Meaning,
    AccountBalance? Balance) : TransactionResult(TerminalId, Trace)
{
    /// <inheritdoc />
    public override TransactionOutcome Outcome => TransactionOutcome.Declined;

    /// <summary>The request's MTI, STAN and DE 7 (always present: the request was sent).</summary>
    public new RequestTrace Trace => base.Trace!;
}
