using SocketAtm.Server.Ledger.Acquiring;
using SocketAtm.Server.Security;

namespace SocketAtm.Server.Ledger.Rules;

/// <summary>
/// Decides a request the host stands in for while its route is unavailable, within what the issuer agreed to
/// (<see cref="StandInTerms"/>): only withdrawals (91 otherwise: the acquirer knows no balance) in the limits' currency (91
/// otherwise), only with a verified PIN
/// (91 when it cannot be verified, 55 when wrong), at most the per-transaction amount (61), within the card's day in
/// amount (61) and count (65). Pure: the writer reads the card's stand-in usage of the day and applies the result.
/// </summary>
internal static class StandInRules
{
    /// <param name="amount">DE 4 of the request, minor units.</param>
    /// <param name="usedTodayAmount">What the card withdrew in stand-in on this route this UTC day, approved ones only.</param>
    /// <param name="usedTodayCount">How many withdrawals of the card were approved in stand-in on this route this UTC day.</param>
    /// <param name="currency">DE 49 of the request; 0 when it carried none (the terminal's own currency, the route's).</param>
    /// <returns>The response code (DE 39): <see cref="ResponseCodes.Approved"/> or the decline's.</returns>
    public static string Decide(StandInTerms terms, TransactionKind kind, long amount, long usedTodayAmount, int usedTodayCount, int currency = 0)
    {
        ArgumentNullException.ThrowIfNull(terms);

        // Limits in one currency say nothing of an amount in another: such a request is the issuer's to decide.
        if (kind != TransactionKind.Withdrawal || (terms.Currency != 0 && currency != 0 && currency != terms.Currency))
        {
            return ResponseCodes.IssuerUnavailable;
        }

        switch (terms.Pin)
        {
            case StandInPinResult.Verified:
                break;
            case StandInPinResult.WrongPin:
                return ResponseCodes.IncorrectPin;
            default:
                return ResponseCodes.IssuerUnavailable;
        }

        if (amount <= 0)
        {
            return ResponseCodes.InvalidAmount;
        }

        // Compared as what is left, so that no sum can overflow.
        if (amount > terms.MaxAmount || amount > terms.DailyAmount - usedTodayAmount)
        {
            return ResponseCodes.ExceedsAmountLimit;
        }

        return usedTodayCount >= terms.DailyCount ? ResponseCodes.ExceedsFrequencyLimit : ResponseCodes.Approved;
    }
}
