using LiteDB;

namespace SocketAtm.IssuerSim.Book;

/// <summary>
/// What one acquirer's RRN did at the issuer: the original's decision and, if any, its reversal's. Keyed by
/// (DE 32, DE 37) as the contract keys the issuer's book; written before the answer leaves.
/// </summary>
internal sealed class BookEntry
{
    /// <summary>"acquirer id/RRN" (<see cref="KeyOf"/>).</summary>
    public string Id { get; set; } = string.Empty;

    public string AcquirerId { get; set; } = string.Empty;

    public string Rrn { get; set; } = string.Empty;

    /// <summary>The card, masked (first six and last four digits).</summary>
    public string MaskedPan { get; set; } = string.Empty;

    /// <summary>The card's PAN (the id of its <see cref="CardRecord"/>): kept in the simulator's own book, never shown.</summary>
    public string CardId { get; set; } = string.Empty;

    /// <summary>The original's (DE 32, DE 41, DE 11, DE 7); null while only its reversal has come.</summary>
    public string? RequestKey { get; set; }

    /// <summary>The original's transaction type (DE 3 positions 1–2); for an entry opened by a reversal, the reversal's.</summary>
    public int TransactionType { get; set; }

    /// <summary>The original's DE 4 in minor units (for an entry opened by a reversal, the reversal's DE 4).</summary>
    public long Amount { get; set; }

    /// <summary>What the original took from the account.</summary>
    public long Debited { get; set; }

    /// <summary>What the reversal gave back.</summary>
    public long Restored { get; set; }

    /// <summary>The original 0100/0200's DE 39; null while none came (only its reversal, or a stand-in advice in its place).</summary>
    public string? Response { get; set; }

    /// <summary>The original's DE 38 on approval.</summary>
    public string? AuthorizationId { get; set; }

    /// <summary>
    /// The DE 39 of the 0230 that booked a stand-in advice (0220/0221) for this RRN, given again to every later advice for
    /// it; null when no advice was booked (one refused is not recorded).
    /// </summary>
    public string? AdviceResponse { get; set; }

    /// <summary>The advice's DE 38: the authorization id the acquirer gave the terminal in stand-in.</summary>
    public string? AdviceAuthorizationId { get; set; }

    /// <summary>The reversal's DE 39, given again to every later 0420/0421 for this RRN; null when none came.</summary>
    public string? ReversalResponse { get; set; }

    /// <summary>The amount the reversal says was dispensed (DE 95), when partial.</summary>
    public long? Dispensed { get; set; }

    /// <summary>Order of booking, and the source of authorization ids.</summary>
    public long Sequence { get; set; }

    /// <summary>When the entry last changed (UTC).</summary>
    public DateTime ChangedAt { get; set; }

    /// <summary>Debited less restored: what the RRN moved, in minor units.</summary>
    [BsonIgnore]
    public long Net => Debited - Restored;

    /// <summary>The answer that settles this RRN: the reversal's when there was one, else the advice's, else the original's.</summary>
    [BsonIgnore]
    public string LastResponse => ReversalResponse ?? AdviceResponse ?? Response ?? string.Empty;

    /// <summary>Whether the RRN's withdrawal is decided: by its original 0100/0200, or by a stand-in advice booked in its place.</summary>
    [BsonIgnore]
    public bool IsDecided => Response is not null || AdviceResponse is not null;

    public static string KeyOf(string acquirerId, string rrn) => $"{acquirerId}/{rrn}";
}
