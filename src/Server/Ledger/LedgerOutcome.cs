namespace SocketAtm.Server.Ledger;

/// <summary>
/// The ledger's decision for a request, as stored under its idempotency key. A repeat gets the stored outcome back,
/// so the response it produces carries the same response code, authorization id, RRN and balances.
/// </summary>
internal sealed record LedgerOutcome
{
    /// <summary>ISO response code (DE 39), e.g. "00", "51".</summary>
    public required string ResponseCode { get; init; }

    /// <summary>Authorization id (DE 38), set on approvals.</summary>
    public string? AuthorizationId { get; init; }

    /// <summary>Retrieval reference number (DE 37), unique per applied request.</summary>
    public string? RetrievalReference { get; init; }

    /// <summary>Account type whose balances are reported (DE 54 block).</summary>
    public AccountType AccountType { get; init; }

    /// <summary>Ledger balance after the request, when the card and account were found.</summary>
    public long? LedgerBalance { get; init; }

    /// <summary>Available balance after the request, when the card and account were found.</summary>
    public long? AvailableBalance { get; init; }

    /// <summary>Account currency, ISO 4217 numeric.</summary>
    public int Currency { get; init; }

    /// <summary>True when this outcome was read back from the idempotency store rather than decided now.</summary>
    public bool IsReplay { get; init; }

    /// <summary>
    /// For a refusal journaled as a security event, why (the <c>reason</c> of <c>socketatm.security.events</c>: "mac",
    /// "stale_transmission", "reversal_pan_mismatch", "reversal_amount_mismatch"); null otherwise. Never stored: such a
    /// refusal stores nothing under its key.
    /// </summary>
    public string? SecurityEvent { get; init; }

    /// <summary>
    /// For a request of a card not on file that carried a forwarding intent: forward it, or (a repeat) wait for the answer
    /// upstream. <see cref="Acquiring.ForwardingStatus.None"/> otherwise. Never stored: it follows from the stored record's state.
    /// </summary>
    public Acquiring.ForwardingStatus Forwarding { get; init; }

    /// <summary>True when the response code is an approval ("00").</summary>
    public bool IsApproved => ResponseCode == ResponseCodes.Approved;
}
