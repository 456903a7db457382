namespace SocketAtm.Client;

/// <summary>The request never left the terminal, so nothing happened on the host; it is safe to try again.</summary>
/// <param name="Reason">Why, in a sentence.</param>
public sealed record TransactionNotSent(string TerminalId, string Reason) : TransactionResult(TerminalId, null)
{
    /// <inheritdoc />
    public override TransactionOutcome Outcome => TransactionOutcome.NotSent;
}
