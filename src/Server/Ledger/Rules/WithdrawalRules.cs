using SocketAtm.Server.Ledger.Model;

namespace SocketAtm.Server.Ledger.Rules;

/// <summary>
/// Decides a cash withdrawal: the shared card checks, then amount and currency (13), daily amount limit (61),
/// daily count limit (65) and funds (51). An approval debits the account and counts on today's usage.
/// </summary>
internal static class WithdrawalRules
{
    /// <param name="usage">The card's usage on <paramref name="now"/>'s business day, or null when it has none yet.</param>
    public static LedgerDecision Decide(
        CardRecord? card,
        IReadOnlyList<AccountRecord> accounts,
        DailyUsageRecord? usage,
        LedgerRequest request,
        DateTimeOffset now,
        int pinTryLimit)
    {
        ArgumentNullException.ThrowIfNull(request);
        var check = CardChecks.Evaluate(card, accounts, request, now, pinTryLimit);
        if (check.DeclineCode is not null || card is null || check.Account is null)
        {
            return LedgerDecision.Declined(check);
        }

        var account = check.Account;
        var amount = request.Amount;
        if (amount <= 0 || request.Currency != account.Currency)
        {
            return LedgerDecision.Declined(ResponseCodes.InvalidAmount, check.CardAfter, account);
        }

        usage ??= DailyUsageRecord.Empty(card.Id, DailyUsageRecord.BusinessDay(now));
        if (amount > card.DailyAmountLimit - usage.Amount)
        {
            return LedgerDecision.Declined(ResponseCodes.ExceedsAmountLimit, check.CardAfter, account);
        }

        if (usage.Count >= card.DailyCountLimit)
        {
            return LedgerDecision.Declined(ResponseCodes.ExceedsFrequencyLimit, check.CardAfter, account);
        }

        if (amount > account.Balance)
        {
            return LedgerDecision.Declined(ResponseCodes.InsufficientFunds, check.CardAfter, account);
        }

        return new LedgerDecision
        {
            ResponseCode = ResponseCodes.Approved,
            CardAfter = check.CardAfter,
            Account = account with { Balance = account.Balance - amount },
            Delta = -amount,
            UsageAfter = usage with { Amount = usage.Amount + amount, Count = usage.Count + 1 },
        };
    }
}
