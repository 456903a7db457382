namespace SocketAtm.Client;

/// <summary>The host approved (DE 39 = 00). For a withdrawal the terminal may now dispense <see cref="Amount"/>.</summary>
/// <param name="AuthorizationId">DE 38, the authorization id.</param>
/// <param name="RetrievalReferenceNumber">DE 37, the host's unique reference.</param>
/// <param name="Amount">The amount approved in minor units; 0 for a balance inquiry.</param>
/// <param name="Balance">DE 54 after the transaction, when the host sent it.</param>
/// <param name="Account">The account the request named.</param>
/// <param name="MaskedPan">The card number masked for receipts (first 6 and last 4 digits).</param>
public sealed record TransactionApproved(
    string TerminalId,
    RequestTrace Trace,
    string AuthorizationId,
    string RetrievalReferenceNumber,
    long Amount,
    AccountBalance? Balance,
    AccountType Account,
    string MaskedPan) : TransactionResult(TerminalId, Trace)
{
    /// <inheritdoc />
    public override TransactionOutcome Outcome => TransactionOutcome.Approved;

    /// <summary>The request's MTI, STAN and DE 7 (always present: the request was sent).</summary>
    public new RequestTrace Trace => base.Trace!;

    /// <summary>The acquirer id the request carried in DE 32 (needed for DE 90 of a later reversal).</summary>
    internal string? AcquirerId { get; init; }

    /// <summary>The processing code the request carried in DE 3.</summary>
    internal string ProcessingCode { get; init; } = string.Empty;

    /// <summary>The card the request carried in DE 2, sent again in a reversal's DE 2. Internal: the record's text shows <see cref="MaskedPan"/> only.</summary>
    internal string Pan { get; init; } = string.Empty;
}
