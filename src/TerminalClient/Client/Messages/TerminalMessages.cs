using System.Globalization;
using System.Security.Cryptography;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Security;

namespace SocketAtm.Client.Messages;

/// <summary>The requests a terminal sends and the parts of responses it reads, laid out as PROTOCOL.md §6 and §9 say.</summary>
internal static class TerminalMessages
{
    public const int NetworkManagement = 800;
    public const int Authorization = 100;
    public const int Financial = 200;
    public const int Reversal = 400;
    public const int ReversalRepeat = 401;

    public const int SignOn = 1;
    public const int SignOff = 2;
    public const int Echo = 301;
    public const int KeyExchange = 161;

    /// <summary>The response MTI of a request: third digit up by one, last digit 0 (0401 → 0410).</summary>
    public static int ResponseMti(int requestMti) => (requestMti / 10 * 10) + 10;

    /// <summary>DE 7: MMDDhhmmss in GMT.</summary>
    public static string TransmissionDateTime(DateTimeOffset now) =>
        now.UtcDateTime.ToString("MMddHHmmss", CultureInfo.InvariantCulture);

    /// <summary>DE 3: transaction type, from-account type, 00.</summary>
    public static string ProcessingCode(string transactionType, AccountType account) =>
        string.Create(CultureInfo.InvariantCulture, $"{transactionType}{(int)account:D2}00");

    public static void SetNetworkManagement(IsoMessage message, string terminalId, int stan, string transmissionDateTime, int code)
    {
        message.Mti = NetworkManagement;
        message.Set(7, transmissionDateTime);
        message.SetNumber(11, stan);
        message.Set(41, terminalId);
        message.SetNumber(70, code);
    }

    /// <summary>A balance inquiry (0100) or withdrawal (0200): card, amount, trace, terminal and the PIN block under <paramref name="pinKey"/>.</summary>
    public static void SetCardRequest(
        IsoMessage message,
        int mti,
        string processingCode,
        long? amount,
        RequestIdentity identity,
        int? currencyCode,
        string pan,
        string pin,
        ReadOnlySpan<byte> pinKey)
    {
        message.Mti = mti;
        message.Set(2, pan);
        message.Set(3, processingCode);
        if (amount is { } value)
        {
            message.SetNumber(4, value);
        }

        SetTrace(message, identity);
        message.Set(12, identity.LocalTime.ToString("HHmmss", CultureInfo.InvariantCulture));
        message.Set(13, identity.LocalTime.ToString("MMdd", CultureInfo.InvariantCulture));
        if (currencyCode is { } currency)
        {
            message.SetNumber(49, currency);
        }

        Span<byte> pinDigits = stackalloc byte[PinBlock.MaxPinLength];
        Span<byte> panDigits = stackalloc byte[PinBlock.MaxPanLength];
        Span<byte> block = stackalloc byte[PinBlock.Length];
        try
        {
            var pinLength = ToAscii(pin, pinDigits);
            var panLength = ToAscii(pan, panDigits);
            PinBlock.Encrypt(pinKey, pinDigits[..pinLength], panDigits[..panLength], block);
            message.Set(52, block);
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
        message.Set(3, original.ProcessingCode);
        message.SetNumber(4, original.Amount);
        SetTrace(message, identity);
        message.Set(90, OriginalDataElements(original));
        if (dispensed is { } amount)
        {
            message.Set(95, ReplacementAmounts(amount));
        }
    }

    /// <summary>DE 90: original MTI, STAN, DE 7, acquirer id (11 digits), forwarding institution (11 zeros).</summary>
    public static string OriginalDataElements(OriginalRequest original) => string.Create(
        CultureInfo.InvariantCulture,
        $"{original.Mti:D4}{original.Stan:D6}{original.TransmissionDateTime}{(original.AcquirerId ?? string.Empty).PadLeft(11, '0')}00000000000");

    /// <summary>DE 95: the amount actually dispensed (12 digits), then an unused settlement amount and two unused fees.</summary>
    public static string ReplacementAmounts(long dispensed) =>
        string.Create(CultureInfo.InvariantCulture, $"{dispensed:D12}{new string('0', 30)}");

    /// <summary>The response code (DE 39), or "--" when the response has none.</summary>
    public static string ResponseCode(IsoMessage response) => response.GetString(39) ?? "--";

    /// <summary>The ledger (01) and available (02) balances of DE 54 for <paramref name="account"/>, or null.</summary>
    public static AccountBalance? ReadBalance(IsoMessage response, AccountType account)
    {
        var text = response.Get(54);
        long? ledger = null;
        long? available = null;
        var currency = 0;
        string? accountCode = account == AccountType.Default ? null : ((int)account).ToString("D2", CultureInfo.InvariantCulture);
        for (var offset = 0; offset + 20 <= text.Length; offset += 20)
        {
            var block = text.Slice(offset, 20);
            var blockAccount = System.Text.Encoding.ASCII.GetString(block[..2]);
            accountCode ??= blockAccount;
            if (blockAccount != accountCode || !TryDigits(block.Slice(4, 3), out var blockCurrency) || !TryDigits(block.Slice(8, 12), out var amount))
            {
                continue;
            }

            var signed = block[7] == (byte)'D' ? -amount : amount;
            currency = (int)blockCurrency;
            if (block[2] == (byte)'0' && block[3] == (byte)'1')
            {
                ledger = signed;
            }
            else if (block[2] == (byte)'0' && block[3] == (byte)'2')
            {
                available = signed;
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
        message.Set(7, identity.TransmissionDateTime);
        message.SetNumber(11, identity.Stan);
        if (identity.AcquirerId is not null)
        {
            message.Set(32, identity.AcquirerId);
        }

        message.Set(41, identity.TerminalId);
    }

    private static int ToAscii(string digits, Span<byte> destination)
    {
        for (var i = 0; i < digits.Length; i++)
        {
            destination[i] = (byte)digits[i];
        }

        return digits.Length;
    }

    private static bool TryDigits(ReadOnlySpan<byte> digits, out long value)
    {
        value = 0;
        foreach (var b in digits)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = (value * 10) + (b - '0');
        }

        return true;
    }
}
