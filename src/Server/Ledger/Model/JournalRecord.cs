namespace SocketAtm.Server.Ledger.Model;

/// <summary>
/// One row of the append-only journal: a financial request and what the ledger did with it, or a security event (a
/// refused MAC, keys issued or promoted). Holds the masked PAN only, and key check values, never keys. <see cref="Delta"/> is the change applied to <see cref="AccountId"/>'s balance (negative for a debit).
/// </summary>
internal sealed record JournalRecord
{
    public required long Id { get; init; }

    /// <summary>When the ledger decided, as Unix milliseconds (UTC).</summary>
    public required long AtUnixMilliseconds { get; init; }

    /// <summary>The request's idempotency key text.</summary>
    public required string Key { get; init; }

    public required int Mti { get; init; }

    public required TransactionKind Kind { get; init; }

    public required JournalDisposition Disposition { get; init; }

    public required string TerminalId { get; init; }

    public string MaskedPan { get; init; } = string.Empty;

    public long? CardId { get; init; }

    public long? AccountId { get; init; }

    /// <summary>The amount the request carried (DE 4), in minor units.</summary>
    public long Amount { get; init; }

    /// <summary>The change applied to the account's balance, in minor units.</summary>
    public long Delta { get; init; }

    public required string ResponseCode { get; init; }

    public string? AuthorizationId { get; init; }

    public string? RetrievalReference { get; init; }

    /// <summary>What a security event records beside the request: the KCVs of keys issued or promoted, an 0800's DE 70. Null otherwise.</summary>
    public string? Detail { get; init; }

    /// <summary>For a row of a forwarded request (or a reversal of one): its route, upstream RRN and what it makes the issuer owe. Null otherwise.</summary>
    public UpstreamEntry? Upstream { get; init; }
}
