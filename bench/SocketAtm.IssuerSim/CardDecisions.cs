using System.Globalization;
using SocketAtm.IssuerSim.Book;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.IssuerSim;

/// <summary>
/// The checks of PROTOCOL.md §6.3 that need no PIN, shared by an 0100/0200 (around its PIN check) and a stand-in advice
/// (which carries no PIN): each returns the decline code, or null when the card passes.
/// </summary>
internal static class CardDecisions
{
    private const int DefaultAccount = 0;
    private const int SavingsAccount = 10;
    private const int CheckingAccount = 20;
    private const int CreditAccount = 30;

    /// <summary>Card on file 14, blocked 62, expired (or a DE 14 that is not the card's) 54, PIN tries used up 75.</summary>
    public static string? Standing(CardRecord? card, IsoMessage request, DateTime now)
    {
        if (card is null)
        {
            return ResponseCodes.InvalidCardNumber;
        }

        if (card.Blocked)
        {
            return ResponseCodes.RestrictedCard;
        }

        if (IsExpired(card.Expiry, now) || (request.Has(DataElements.ExpirationDate) && request.GetString(DataElements.ExpirationDate) != card.Expiry))
        {
            return ResponseCodes.ExpiredCard;
        }

        return card.WrongPinTries >= IssuerRules.PinTryLimit ? ResponseCodes.PinTriesExceeded : null;
    }

    /// <summary>Whether DE 3's from-account is one of the four account types (00, 10, 20, 30).</summary>
    public static bool IsAccountType(int account) => account is DefaultAccount or SavingsAccount or CheckingAccount or CreditAccount;

    /// <summary>The card's single account is checking: savings 53, credit 39, an unknown type 12.</summary>
    public static string? Account(int account) => account switch
    {
        DefaultAccount or CheckingAccount => null,
        SavingsAccount => ResponseCodes.NoSavingsAccount,
        CreditAccount => ResponseCodes.NoCreditAccount,
        _ => ResponseCodes.InvalidTransaction,
    };

    /// <summary>A withdrawal of <paramref name="amount"/>: a positive amount in the account's currency (else 13), within <paramref name="available"/> (else 51).</summary>
    public static string Funds(CardRecord card, long amount, long currency, long available)
    {
        if (amount <= 0 || currency != card.Currency)
        {
            return ResponseCodes.InvalidAmount;
        }

        return amount > available ? ResponseCodes.InsufficientFunds : ResponseCodes.Approved;
    }

    private static bool IsExpired(string expiry, DateTime now) =>
        int.TryParse(expiry, NumberStyles.None, CultureInfo.InvariantCulture, out var yymm)
        && (2000 + (yymm / 100)) * 12 + (yymm % 100) < (now.Year * 12) + now.Month;
}
