namespace SocketAtm.Client;

/// <summary>
/// How a balance inquiry or withdrawal ended. Switch on the type (<see cref="TransactionApproved"/>,
/// <see cref="TransactionDeclined"/>, <see cref="TransactionTimedOut"/>, <see cref="TransactionNotSent"/>) or on
/// <see cref="Outcome"/>.
/// </summary>
/// <param name="TerminalId">The terminal that sent the request.</param>
/// <param name="Trace">The request's MTI, STAN and DE 7; null when it was never sent.</param>
public abstract record TransactionResult(string TerminalId, RequestTrace? Trace)
{
    /// <summary>Which of the four result types this is.</summary>
    public abstract TransactionOutcome Outcome { get; }

    /// <summary>
    /// The reversal the terminal started because of this result (a withdrawal without a valid answer, or answered 96),
    /// or null. It completes when the host acknowledged it with an 0410, or when the terminal was closed first.
    /// </summary>
    public Task<ReversalResult>? Reversal { get; init; }
}
