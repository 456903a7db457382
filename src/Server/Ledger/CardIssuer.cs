using System.Text;
using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Security;

namespace SocketAtm.Server.Ledger;

/// <summary>Turns a <see cref="CardRegistration"/> into a card and its account, keeping only the PIN's PVV.</summary>
internal static class CardIssuer
{
    public static (CardRecord Card, AccountRecord Account) Issue(
        CardRegistration registration, PinVerificationKey pinVerificationKey, LedgerSequences sequences, LedgerOptions options)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(pinVerificationKey);
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentNullException.ThrowIfNull(options);
        Validate(registration);
        var account = new AccountRecord
        {
            Id = sequences.NextAccountId(),
            Type = registration.AccountType,
            Currency = registration.Currency,
            OpeningBalance = registration.OpeningBalance,
            Balance = registration.OpeningBalance,
        };
        var card = new CardRecord
        {
            Id = sequences.NextCardId(),
            Pan = registration.Pan,
            Pvv = ComputePvv(pinVerificationKey, registration.Pan, registration.Pin),
            Pvki = pinVerificationKey.Index,
            Status = registration.Status,
            Expiry = registration.Expiry,
            ServiceCode = registration.ServiceCode,
            DailyAmountLimit = registration.DailyAmountLimit ?? options.DefaultDailyAmountLimit,
            DailyCountLimit = registration.DailyCountLimit ?? options.DefaultDailyCountLimit,
            Accounts = [new LinkedAccount(account.Type, account.Id)],
        };
        return (card, account);
    }

    /// <summary>The PVV of <paramref name="pin"/> for <paramref name="pan"/> under the issuer's key.</summary>
    public static string ComputePvv(PinVerificationKey pinVerificationKey, string pan, string pin)
    {
        ArgumentNullException.ThrowIfNull(pinVerificationKey);
        Span<byte> panBytes = stackalloc byte[pan.Length];
        Span<byte> pinBytes = stackalloc byte[pin.Length];
        Span<byte> pvv = stackalloc byte[4];
        Encoding.ASCII.GetBytes(pan, panBytes);
        Encoding.ASCII.GetBytes(pin, pinBytes);

        PinVerificationValue.Compute(pinVerificationKey.Key, panBytes, pinVerificationKey.Index, pinBytes, pvv);
        pinBytes.Clear();
        return Encoding.ASCII.GetString(pvv);
    }

    private static void Validate(CardRegistration registration)
    {
        if (registration.Pan is not { Length: >= 12 and <= 19 } || !registration.Pan.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("A PAN is 12 to 19 digits.", nameof(registration));
        }

        if (registration.Pin is not { Length: >= 4 and <= 12 } || !registration.Pin.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("A PIN is 4 to 12 digits.", nameof(registration));
        }

        if (registration.Expiry is not { Length: 4 } || !registration.Expiry.All(char.IsAsciiDigit)
            || registration.Expiry[2..] is var month && (string.CompareOrdinal(month, "01") < 0 || string.CompareOrdinal(month, "12") > 0))
        {
            throw new ArgumentException("An expiry is YYMM with a month from 01 to 12.", nameof(registration));
        }

        if (registration.ServiceCode is not { Length: 3 } || !registration.ServiceCode.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("A service code is 3 digits (101 for a plain magnetic-stripe card).", nameof(registration));
        }

        if (registration.OpeningBalance < 0 || registration.DailyAmountLimit < 0 || registration.DailyCountLimit < 0)
        {
            throw new ArgumentException("Balances and limits are not negative.", nameof(registration));
        }

        if (registration.Currency is < 1 or > 999)
        {
            throw new ArgumentException("A currency is an ISO 4217 numeric code, 1 to 999.", nameof(registration));
        }

        if (registration.AccountType is not (AccountType.Checking or AccountType.Savings or AccountType.Credit))
        {
            throw new ArgumentException("A card's account is checking, savings or credit.", nameof(registration));
        }
    }
}
