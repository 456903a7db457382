using System.Text;
using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Security;

namespace SocketAtm.Server.Ledger.Rules;

/// <summary>
/// The checks a withdrawal and a balance inquiry share, in the protocol's order: a track 2 whose PAN is not DE 2's (59),
/// card on file (14), a track 2 that is not the card on file's — expiry, service code, CVV (59) — status (41, 43, 62),
/// expiry (54), PIN (75 when blocked, 96 when no PVK of the card's PVKI is held, 55 when wrong, 75 when the wrong one
/// reaches the limit), account type linked (52, 53, 39).
/// </summary>
/// <remarks>
/// The track is checked before anything else about the card: a counterfeit stripe learns nothing of the card's status
/// and, above all, counts no PIN try, so that it cannot block a genuine customer's card (the PIN is the check the
/// stripe's holder must still pass; a copied stripe verifies, a made-up one does not).
/// </remarks>
internal static class CardChecks
{
    /// <summary>Reasons of <c>socketatm.security.events</c>: DE 35's PAN is not DE 2.</summary>
    public const string Track2PanMismatch = "track2_pan_mismatch";

    /// <summary>DE 35's expiry or service code is not the card on file's.</summary>
    public const string Track2Mismatch = "track2_mismatch";

    /// <summary>DE 35's CVV is neither the card's CVV nor its iCVV under the issuer's CVK.</summary>
    public const string CvvFailed = "cvv";

    public static CardCheckResult Evaluate(
        CardRecord? card, IReadOnlyList<AccountRecord> accounts, LedgerRequest request, DateTimeOffset now, int pinTryLimit)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Track2 is { PanMatches: false })
        {
            return Counterfeit(Track2PanMismatch);
        }

        if (card is null)
        {
            return new(ResponseCodes.InvalidCardNumber, null, null);
        }

        if (request.Track2 is { } track)
        {
            if (!track.AgreesWith(card.Expiry, card.ServiceCode))
            {
                return Counterfeit(Track2Mismatch);
            }

            if (!track.CvvVerified)
            {
                return Counterfeit(CvvFailed);
            }
        }

        var statusCode = card.Status switch
        {
            CardStatus.Lost => ResponseCodes.LostCard,
            CardStatus.Stolen => ResponseCodes.StolenCard,
            CardStatus.Restricted => ResponseCodes.RestrictedCard,
            _ => null,
        };
        if (statusCode is not null)
        {
            return new(statusCode, null, null);
        }

        if (IsExpired(card.Expiry, now))
        {
            return new(ResponseCodes.ExpiredCard, null, null);
        }

        if (card.Status == CardStatus.PinBlocked)
        {
            return new(ResponseCodes.PinTriesExceeded, null, null);
        }

        if (!request.HasPinBlock)
        {
            // A request without a PIN block was never PIN-verified: refuse it, but it is no guess at the PIN, so it
            // does not count towards blocking the card.
            return new(ResponseCodes.IncorrectPin, null, null);
        }

        if (request.PinVerificationKeyIndex != card.Pvki)
        {
            // The card's PVV was computed under a PVK this host does not hold (never imported here, or taken out): the
            // issuer's fault, not the cardholder's, so no try is counted and the terminal is told the host failed.
            return new(ResponseCodes.SystemMalfunction, null, null);
        }

        if (!PinMatches(request.CandidatePvv, card.Pvv) && !PinMatches(request.PreviousKeyCandidatePvv, card.Pvv))
        {
            var tries = card.PinTries + 1;
            return tries >= pinTryLimit
                ? new(ResponseCodes.PinTriesExceeded, card with { PinTries = tries, Status = CardStatus.PinBlocked }, null)
                : new(ResponseCodes.IncorrectPin, card with { PinTries = tries }, null);
        }

        var cardAfter = card.PinTries == 0 ? null : card with { PinTries = 0 };
        var (account, declineCode) = SelectAccount(card, accounts, request.AccountType);
        return new(declineCode, cardAfter, account);
    }

    /// <summary>True when <paramref name="now"/>'s UTC year-month is after the card's YYMM (or the YYMM is unreadable).</summary>
    public static bool IsExpired(string expiry, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(expiry);
        if (expiry.Length != 4 || !expiry.All(char.IsAsciiDigit))
        {
            return true;
        }

        var expiryMonths = ((2000 + ((expiry[0] - '0') * 10) + (expiry[1] - '0')) * 12) + ((expiry[2] - '0') * 10) + (expiry[3] - '0');
        var utc = now.UtcDateTime;
        var nowMonths = (utc.Year * 12) + utc.Month;
        return nowMonths > expiryMonths;
    }

    private static CardCheckResult Counterfeit(string reason) => new(ResponseCodes.SuspectedFraud, null, null, reason);

    private static bool PinMatches(string? candidatePvv, string storedPvv)
    {
        if (candidatePvv is null || candidatePvv.Length != 4 || storedPvv.Length != 4)
        {
            return false;
        }

        Span<byte> candidate = stackalloc byte[4];
        Span<byte> stored = stackalloc byte[4];
        Encoding.ASCII.GetBytes(candidatePvv, candidate);
        Encoding.ASCII.GetBytes(storedPvv, stored);
        return PinVerificationValue.Matches(candidate, stored);
    }

    private static (AccountRecord? Account, string? DeclineCode) SelectAccount(
        CardRecord card, IReadOnlyList<AccountRecord> accounts, AccountType requested)
    {
        LinkedAccount? link = requested == AccountType.Default
            ? card.Accounts.Count > 0 ? card.Accounts[0] : null
            : card.Accounts.Where(linked => linked.Type == requested).Select(linked => (LinkedAccount?)linked).FirstOrDefault();
        if (link is null)
        {
            return (null, requested switch
            {
                AccountType.Savings => ResponseCodes.NoSavingsAccount,
                AccountType.Credit => ResponseCodes.NoCreditAccount,
                _ => ResponseCodes.NoCheckingAccount,
            });
        }

        var account = accounts.FirstOrDefault(candidate => candidate.Id == link.Value.AccountId);

        // A link to an account that is not on file is damaged data, not a customer error.
        return account is null ? (null, ResponseCodes.SystemMalfunction) : (account, null);
    }
}
