using SocketAtm.Server.Ledger.Model;

namespace SocketAtm.Server.Ledger.Rules;

/// <summary>Decides a balance inquiry: the shared card checks; it moves no money and touches no limit.</summary>
internal static class BalanceInquiryRules
{
    public static LedgerDecision Decide(
        CardRecord? card, IReadOnlyList<AccountRecord> accounts, LedgerRequest request, DateTimeOffset now, int pinTryLimit)
    {
        var check = CardChecks.Evaluate(card, accounts, request, now, pinTryLimit);
        return check.DeclineCode is not null || check.Account is null
            ? LedgerDecision.Declined(check)
            : new LedgerDecision { ResponseCode = ResponseCodes.Approved, CardAfter = check.CardAfter, Account = check.Account };
    }
}
