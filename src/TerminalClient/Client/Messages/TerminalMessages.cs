using System.Globalization;
using System.Security.Cryptography;
using SocketAtm.Protocol.Composites;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Vocabulary;
using SocketAtm.Protocol.Security;

namespace SocketAtm.Client.Messages;

/// <summary>The requests a terminal sends and the parts of responses it reads, laid out as PROTOCOL.md §6 and §9 say.</summary>
internal static class TerminalMessages
{
    /// <summary>DE 7: MMDDhhmmss in GMT.</summary>
    public static string TransmissionDateTime(DateTimeOffset now) =>
        now.UtcDateTime.ToString("MMddHHmmss", CultureInfo.InvariantCulture);

    /// <summary>DE 3: transaction type, from-account type, 00.</summary>
    public static string ProcessingCode(string transactionType, AccountType account) =>
        string.Create(CultureInfo.InvariantCulture, $"{transactionType}{(int)account:D2}00");

    public static void SetNetworkManagement(IsoMessage message, string terminalId, int stan, string transmissionDateTime, int code)
    {
        message.Mti = MessageTypes.NetworkManagementRequest;
        message.Set(DataElements.TransmissionDateTime, transmissionDateTime);
        message.SetNumber(DataElements.Stan, stan);
        message.Set(DataElements.TerminalId, terminalId);
        message.SetNumber(DataElements.NetworkManagementCode, code);
    }

    /// <summary>
    /// A balance inquiry (0100) or withdrawal (0200): card, amount, trace, terminal and the PIN block under
    /// <paramref name="pinKey"/>. A card read off its stripe goes as its track 2 (DE 35), as a card reader sends it; one
    /// known by its PAN alone as DE 2.
    /// </summary>
    public static void SetCardRequest(
        IsoMessage message,
        int mti,
        string processingCode,
        long? amount,
        RequestIdentity identity,
        int? currencyCode,
        CardData card,
        string pin,
        ReadOnlySpan<byte> pinKey)
    {
        var pan = card.Pan;
        message.Mti = mti;
        if (card.Track2 is { } track2)
        {
            message.Set(DataElements.Track2, track2);
        }
        else
        {
            message.Set(DataElements.PrimaryAccountNumber, pan);
        }

        message.Set(DataElements.ProcessingCode, processingCode);
        if (amount is { } value)
        {
            message.SetNumber(DataElements.Amount, value);
        }

        SetTrace(message, identity);
        message.Set(DataElements.LocalTime, identity.LocalTime.ToString("HHmmss", CultureInfo.InvariantCulture));
        message.Set(DataElements.LocalDate, identity.LocalTime.ToString("MMdd", CultureInfo.InvariantCulture));
        if (currencyCode is { } currency)
        {
            message.SetNumber(DataElements.Currency, currency);
        }

        Span<byte> pinDigits = stackalloc byte[PinBlock.MaxPinLength];
        Span<byte> panDigits = stackalloc byte[PinBlock.MaxPanLength];
        Span<byte> block = stackalloc byte[PinBlock.Length];
        try
        {
            var pinLength = ToAscii(pin, pinDigits);
            var panLength = ToAscii(pan, panDigits);
            PinBlock.Encrypt(pinKey, pinDigits[..pinLength], panDigits[..panLength], block);
            message.Set(DataElements.PinBlock, block);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pinDigits);
            CryptographicOperations.ZeroMemory(panDigits);
            CryptographicOperations.ZeroMemory(block);
        }
    }

    /// <summary>A reversal (0400, or 0401 for a repeat) of <paramref name="original"/>; partial when <paramref name="dispensed"/> is given.</summary>
    public static void SetReversal(IsoMessage message, int mti, RequestIdentity identity, OriginalRequest original, long? dispensed)
    {
        message.Mti = mti;
        message.Set(DataElements.PrimaryAccountNumber, original.Pan);
        message.Set(DataElements.ProcessingCode, original.ProcessingCode);
        message.SetNumber(DataElements.Amount, original.Amount);
        SetTrace(message, identity);
        message.Set(DataElements.OriginalDataElements, OriginalDataElements(original));
        if (dispensed is { } amount)
        {
            message.Set(DataElements.ReplacementAmounts, ReplacementAmounts.Format(amount));
        }
    }

    /// <summary>DE 90 naming <paramref name="original"/> (<see cref="Protocol.Composites.OriginalDataElements"/>).</summary>
    public static string OriginalDataElements(OriginalRequest original) =>
        new OriginalDataElements(original.Mti, original.Stan, original.TransmissionDateTime, original.AcquirerId ?? string.Empty).Format();

    /// <summary>The response code (DE 39), or "--" when the response has none.</summary>
    public static string ResponseCode(IsoMessage response) => response.GetString(DataElements.ResponseCode) ?? "--";

    /// <summary>
    /// The ledger and available balances of DE 54 for <paramref name="account"/> (for the default account, of the first
    /// block's account), or null. Blocks that are not well formed are skipped.
    /// </summary>
    public static AccountBalance? ReadBalance(IsoMessage response, AccountType account)
    {
        var field = response.Get(DataElements.AdditionalAmounts);
        long? ledger = null;
        long? available = null;
        var currency = 0;
        int? accountCode = account == AccountType.Default ? null : (int)account;
        for (var index = 0; index < AdditionalAmounts.BlockCount(field); index++)
        {
            if (!AdditionalAmounts.TryReadBlock(field, index, out var block) || block.AccountType != (accountCode ??= block.AccountType))
            {
                continue;
            }

            currency = block.Currency;
            if (block.AmountType == AdditionalAmounts.LedgerBalance)
            {
                ledger = block.Amount;
            }
            else if (block.AmountType == AdditionalAmounts.AvailableBalance)
            {
                available = block.Amount;
            }
        }

        return ledger is null && available is null ? null : new AccountBalance(ledger ?? available!.Value, available ?? ledger!.Value, currency);
    }

    /// <summary>True for 13–19 digits.</summary>
    public static bool IsValidPan(string? pan) =>
        pan is { Length: >= PinBlock.MinPanLength and <= PinBlock.MaxPanLength } && pan.All(char.IsAsciiDigit);

    /// <summary>True for 4–12 digits.</summary>
    public static bool IsValidPin(string? pin) =>
        pin is { Length: >= PinBlock.MinPinLength and <= PinBlock.MaxPinLength } && pin.All(char.IsAsciiDigit);

    private static void SetTrace(IsoMessage message, RequestIdentity identity)
    {
        message.Set(DataElements.TransmissionDateTime, identity.TransmissionDateTime);
        message.SetNumber(DataElements.Stan, identity.Stan);
        if (identity.AcquirerId is not null)
        {
            message.Set(DataElements.AcquirerId, identity.AcquirerId);
        }

        message.Set(DataElements.TerminalId, identity.TerminalId);
    }

    private static int ToAscii(string digits, Span<byte> destination)
    {
        for (var i = 0; i < digits.Length; i++)
        {
            destination[i] = (byte)digits[i];
        }

        return digits.Length;
    }
}
