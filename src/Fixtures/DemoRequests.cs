using System.Globalization;
using System.Text;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Security;

namespace SocketAtm.Fixtures;

/// <summary>
/// Builds the requests a terminal speaking PROTOCOL.md sends, the PIN under the demo TPK: the one set of request
/// builders that the host's tests, the end-to-end tests' terminal, the fuzzer's seed frames and the whole-path
/// benchmarks share. Each call makes a new message. DE 12 and 13 (local time and date) are DE 7's, as from a terminal
/// on GMT, so a caller that gives its own DE 7 gets a consistent request.
/// </summary>
public static class DemoRequests
{
    /// <summary>A demo terminal that needs no MAC.</summary>
    public const string TerminalId = "ATM00009";

    /// <summary>DE 7 unless a caller gives its own (MMDDhhmmss): 25 November, 10:00:00.</summary>
    public const string TransmissionDateTime = "1125100000";

    /// <summary>DE 32 of every request, and so the acquirer of DE 90's original.</summary>
    public const string AcquirerId = "12345";

    /// <summary>True for the demo terminals that require MACs (ATM00001–ATM00008, PROTOCOL.md §13).</summary>
    public static bool RequiresMac(string terminalId) =>
        terminalId.Length == 8 && terminalId.StartsWith("ATM0000", StringComparison.Ordinal) && terminalId[7] is >= '1' and <= '8';

    /// <summary>An 0800 sign-on, MACed as <see cref="NetworkManagement"/> says.</summary>
    public static IsoMessage SignOn(string terminalId = TerminalId, int stan = 1, string transmissionDateTime = TransmissionDateTime, byte[]? macKey = null) =>
        NetworkManagement(terminalId, stan, "001", transmissionDateTime, macKey);

    /// <summary>
    /// An 0800 with DE 70 = <paramref name="code"/>, MACed as a terminal that requires MACs sends it (PROTOCOL.md §6.1):
    /// under <paramref name="macKey"/> when given, else under the demo TAK for the demo MAC terminals; without a MAC
    /// for the others.
    /// </summary>
    public static IsoMessage NetworkManagement(string terminalId, int stan, string code, string transmissionDateTime = TransmissionDateTime, byte[]? macKey = null)
    {
        var message = UnsignedNetworkManagement(terminalId, stan, code, transmissionDateTime);
        if ((macKey ?? (RequiresMac(terminalId) ? DemoKeys.MacKey : null)) is { } key)
        {
            RetailMac.Sign(message, key);
        }

        return message;
    }

    /// <summary>An 0800 without a MAC whatever the terminal: what an attacker without the terminal's TAK can send.</summary>
    public static IsoMessage UnsignedNetworkManagement(string terminalId, int stan, string code, string transmissionDateTime = TransmissionDateTime)
    {
        var message = new IsoMessage { Mti = 800 };
        message.Set(7, transmissionDateTime);
        message.SetNumber(11, stan);
        message.Set(41, terminalId);
        message.Set(70, code);
        return message;
    }

    public static IsoMessage Withdrawal(
        long amount,
        int stan,
        string pan = DemoCards.Active,
        string pin = DemoCards.ActivePin,
        string terminalId = TerminalId,
        int mti = 200,
        string transmissionDateTime = TransmissionDateTime)
    {
        var message = CardRequest(mti, "012000", pan, pin, terminalId, stan, transmissionDateTime);
        message.SetNumber(4, amount);
        message.Set(49, "840");
        return message;
    }

    public static IsoMessage BalanceInquiry(
        int stan,
        string pan = DemoCards.Active,
        string pin = DemoCards.ActivePin,
        string terminalId = TerminalId,
        int mti = 200,
        string transmissionDateTime = TransmissionDateTime) =>
        CardRequest(mti, "302000", pan, pin, terminalId, stan, transmissionDateTime);

    /// <summary>
    /// A reversal (or, with <paramref name="mti"/> 420, an advice) of the withdrawal of <paramref name="amount"/> from
    /// <see cref="DemoCards.Active"/> (or <paramref name="pan"/>) sent with STAN <paramref name="originalStan"/> and the same
    /// DE 7; partial when <paramref name="dispensed"/> says how much was handed out. DE 2 and DE 4 must be the original's.
    /// </summary>
    public static IsoMessage Reversal(
        long amount,
        int stan,
        int originalStan,
        long? dispensed = null,
        string terminalId = TerminalId,
        int mti = 400,
        string transmissionDateTime = TransmissionDateTime,
        string pan = DemoCards.Active)
    {
        var message = new IsoMessage { Mti = mti };
        message.Set(2, pan);
        message.Set(3, "012000");
        message.SetNumber(4, amount);
        message.Set(7, transmissionDateTime);
        message.SetNumber(11, stan);
        message.Set(32, AcquirerId);
        message.Set(41, terminalId);
        message.Set(49, "840");
        message.Set(90, string.Create(CultureInfo.InvariantCulture, $"0200{originalStan:D6}{transmissionDateTime}{AcquirerId.PadLeft(11, '0')}{0:D11}"));
        if (dispensed is { } actual)
        {
            message.Set(95, string.Create(CultureInfo.InvariantCulture, $"{actual:D12}{0:D12}{new string(' ', 18)}"));
        }

        return message;
    }

    private static IsoMessage CardRequest(int mti, string processingCode, string pan, string pin, string terminalId, int stan, string transmissionDateTime)
    {
        var message = new IsoMessage { Mti = mti };
        message.Set(2, pan);
        message.Set(3, processingCode);
        message.Set(7, transmissionDateTime);
        message.SetNumber(11, stan);
        message.Set(12, transmissionDateTime.AsSpan(4));
        message.Set(13, transmissionDateTime.AsSpan(0, 4));
        message.Set(14, "2812");
        message.Set(22, "051");
        message.Set(32, AcquirerId);
        message.Set(41, terminalId);
        Span<byte> block = stackalloc byte[PinBlock.Length];
        PinBlock.Encrypt(DemoKeys.PinKey, Encoding.ASCII.GetBytes(pin), Encoding.ASCII.GetBytes(pan), block);
        message.Set(52, block);
        return message;
    }
}
