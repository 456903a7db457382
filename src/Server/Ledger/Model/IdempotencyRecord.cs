namespace SocketAtm.Server.Ledger.Model;

/// <summary>
/// The stored decision for an idempotency key: a repeat gets <see cref="Outcome"/> back. For an approved withdrawal
/// it also remembers what was applied, so a reversal can restore exactly that, once.
/// </summary>
internal sealed record IdempotencyRecord
{
    /// <summary>The key text (<see cref="RequestKey.ToString"/>).</summary>
    public required string Key { get; init; }

    public required TransactionKind Kind { get; init; }

    public required int Mti { get; init; }

    /// <summary>The journal row that decided it.</summary>
    public required long JournalId { get; init; }

    /// <summary>The outcome as answered (with <see cref="LedgerOutcome.IsReplay"/> false).</summary>
    public required LedgerOutcome Outcome { get; init; }

    public string MaskedPan { get; init; } = string.Empty;

    /// <summary>
    /// The request's PAN as the ledger finds cards by (<see cref="KeyProtection.KeyProtector.PanDigest"/>, an HMAC: the PAN
    /// itself is never stored), so that a reversal can be matched to the card of its original. Null only for a record
    /// stored before digests were whose card was not on file.
    /// </summary>
    public string? PanDigest { get; init; }

    /// <summary>The amount the request carried (DE 4), in minor units: a reversal must name the same.</summary>
    public long Amount { get; init; }

    public long? CardId { get; init; }

    public long? AccountId { get; init; }

    /// <summary>For an approved withdrawal: the amount debited.</summary>
    public long AppliedAmount { get; init; }

    /// <summary>For an approved withdrawal: the business day (yyyyMMdd) whose daily usage it counted on.</summary>
    public int UsageDay { get; init; }

    /// <summary>When it was decided, as Unix milliseconds (UTC): it is pruned <see cref="LedgerOptions.RepeatRetention"/> later.</summary>
    public long DecidedAtUnixMilliseconds { get; init; }

    /// <summary>For a reversed withdrawal: the key of the reversal that reversed it.</summary>
    public string? ReversedByKey { get; init; }

    /// <summary>For a request forwarded to its issuer: its upstream side. Null for an on-us request (every request before acquiring).</summary>
    public ForwardingRecord? Forwarding { get; init; }

    /// <summary>
    /// True when this is an approved on-us withdrawal that can still be reversed (restoring its account). A forwarded one
    /// debited nothing here: its reversal is decided by <see cref="Rules.ForwardingRules"/> instead.
    /// </summary>
    public bool IsReversible => Kind == TransactionKind.Withdrawal && Outcome.IsApproved && ReversedByKey is null && Forwarding is null;
}
