namespace SocketAtm.Client;

/// <summary>
/// The request was sent but no valid answer came in time. A withdrawal in this state is reversed automatically:
/// see <see cref="TransactionResult.Reversal"/>.
/// </summary>
/// <param name="Reason">Why there is no answer.</param>
public sealed record TransactionTimedOut(string TerminalId, RequestTrace Trace, NoResponseReason Reason) : TransactionResult(TerminalId, Trace)
{
    /// <inheritdoc />
    public override TransactionOutcome Outcome => TransactionOutcome.TimedOut;

    /// <summary>The request's MTI, STAN and DE 7 (always present: the request was sent).</summary>
    public new RequestTrace Trace => base.Trace!;
}
