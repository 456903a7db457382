using SocketAtm.Server.Ledger.Model;

namespace SocketAtm.Server.Ledger.Rules;

/// <summary>
/// Decides a reversal of an earlier withdrawal. A full reversal restores the amount and the daily usage (amount and
/// count); a partial one (cash partly dispensed) restores original − dispensed and that much of the daily amount.
/// An original reverses at most once; reversing a declined or already reversed original answers 00 and changes
/// nothing; an unknown original answers 25 and leaves a marker. A dispensed amount above the original's is not a
/// reversal the host can apply: 13, and the original stays reversible for the terminal's corrected reversal. Before any
/// of that, a reversal must belong to its original (<see cref="Match"/>): one that does not is refused, not decided.
/// </summary>
internal static class ReversalRules
{
    /// <summary>
    /// Whether a reversal with this PAN and DE 4 belongs to <paramref name="original"/>: its card (compared by PAN digest;
    /// by masked PAN for a record stored before digests were, whose card was not on file) and then its amount.
    /// </summary>
    /// <param name="panDigest">The reversal's PAN (DE 2, or track 2's) as cards are found by.</param>
    public static ReversalMatch Match(IdempotencyRecord original, string panDigest, string maskedPan, long amount)
    {
        ArgumentNullException.ThrowIfNull(original);
        var sameCard = original.PanDigest is { } digest
            ? string.Equals(digest, panDigest, StringComparison.Ordinal)
            : string.Equals(original.MaskedPan, maskedPan, StringComparison.Ordinal);
        if (!sameCard)
        {
            return ReversalMatch.OtherCard;
        }

        return amount == original.Amount ? ReversalMatch.Matches : ReversalMatch.OtherAmount;
    }

    /// <param name="original">The original's stored record, or null when the ledger has not seen it.</param>
    /// <param name="account">The account the original debited, when it was an approved withdrawal.</param>
    /// <param name="usage">The daily usage the original counted on, when it was an approved withdrawal.</param>
    public static LedgerDecision Decide(
        IdempotencyRecord? original, AccountRecord? account, DailyUsageRecord? usage, LedgerRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (original is null)
        {
            return new LedgerDecision { ResponseCode = ResponseCodes.UnableToLocateOriginal, LeavesMarker = true };
        }

        if (!original.IsReversible)
        {
            return LedgerDecision.Declined(ResponseCodes.Approved);
        }

        if (account is null || original.CardId is not { } cardId)
        {
            return LedgerDecision.Declined(ResponseCodes.SystemMalfunction);
        }

        if (request.DispensedAmount > original.AppliedAmount)
        {
            // The terminal cannot have dispensed more than was approved: its DE 95 is wrong, not its customer's money.
            // Marking the original reversed here would make the corrected reversal that follows restore nothing.
            return LedgerDecision.Declined(ResponseCodes.InvalidAmount);
        }

        // Zero dispensed means no cash left the machine: that is a full reversal, whatever the message type says.
        var isFull = request.DispensedAmount is null or 0;
        var restore = isFull ? original.AppliedAmount : original.AppliedAmount - request.DispensedAmount!.Value;
        var originalAfter = original with { ReversedByKey = request.Key.ToString() };
        if (restore == 0)
        {
            return new LedgerDecision { ResponseCode = ResponseCodes.Approved, OriginalAfter = originalAfter };
        }

        usage ??= DailyUsageRecord.Empty(cardId, original.UsageDay);
        return new LedgerDecision
        {
            ResponseCode = ResponseCodes.Approved,
            Account = account with { Balance = account.Balance + restore },
            Delta = restore,
            UsageAfter = usage with
            {
                Amount = Math.Max(0, usage.Amount - restore),
                Count = isFull ? Math.Max(0, usage.Count - 1) : usage.Count,
            },
            OriginalAfter = originalAfter,
        };
    }
}
