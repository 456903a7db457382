using System.Globalization;
using System.Text;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Security;

namespace SocketAtm.Fuzz;

/// <summary>
/// Valid frames (2-byte length header + message) of every flow PROTOCOL.md defines, built with the codec and the demo
/// keys: the starting points that mutations bend. ATM00009 needs no MAC; ATM00001 frames carry a correct MAC.
/// </summary>
public static class SeedFrames
{
    public const string DemoPan = "4761739001010119";
    public const string TransmissionDateTime = "1125100000";
    private static readonly byte[] DemoPinKey = Convert.FromHexString("A13F766224F292F868D54D2CFAB1683A");
    private static readonly byte[] DemoMacKey = Convert.FromHexString("1146ADC3F56CFB56FF054B0FEA03B0EE");

    /// <summary>One of each message, for the mutation and fuzzing corpora.</summary>
    public static IReadOnlyList<byte[]> All() =>
    [
        SignOn("ATM00009", 1),
        Echo("ATM00009", 2),
        NetworkManagement("ATM00009", 3, "161"),
        NetworkManagement("ATM00009", 4, "002"),
        Withdrawal("ATM00009", 5, 4000),
        Withdrawal("ATM00001", 6, 2000),
        Balance("ATM00009", 7),
        Reversal("ATM00009", 8, originalStan: 5, amount: 4000, dispensed: null),
        Reversal("ATM00009", 9, originalStan: 5, amount: 4000, dispensed: 1000),
        Reversal("ATM00001", 10, originalStan: 6, amount: 2000, dispensed: null, mti: 420),
    ];

    public static byte[] SignOn(string terminalId, int stan) => NetworkManagement(terminalId, stan, "001");

    public static byte[] Echo(string terminalId, int stan) => NetworkManagement(terminalId, stan, "301");

    public static byte[] NetworkManagement(string terminalId, int stan, string code)
    {
        var message = new IsoMessage { Mti = 800 };
        message.Set(7, TransmissionDateTime);
        message.SetNumber(11, stan);
        message.Set(41, terminalId);
        message.Set(70, code);
        return Frame(message);
    }

    /// <summary>A withdrawal with DE 2, 3, 4, 7, 11, 12, 13, 14, 22, 32, 41, 49, 52 (and DE 64 for a MAC terminal).</summary>
    public static byte[] Withdrawal(string terminalId, int stan, long amount)
    {
        var message = CardRequest(200, "012000", terminalId, stan);
        message.SetNumber(4, amount);
        message.Set(49, "840");
        return Signed(message, terminalId);
    }

    public static byte[] Balance(string terminalId, int stan) => Signed(CardRequest(200, "302000", terminalId, stan), terminalId);

    public static byte[] Reversal(string terminalId, int stan, int originalStan, long amount, long? dispensed, int mti = 400)
    {
        var message = new IsoMessage { Mti = mti };
        message.Set(2, DemoPan);
        message.Set(3, "012000");
        message.SetNumber(4, amount);
        message.Set(7, TransmissionDateTime);
        message.SetNumber(11, stan);
        message.Set(32, "12345");
        message.Set(41, terminalId);
        message.Set(49, "840");
        message.Set(90, string.Create(CultureInfo.InvariantCulture, $"0200{originalStan:D6}{TransmissionDateTime}{12345:D11}{0:D11}"));
        if (dispensed is { } actual)
        {
            message.Set(95, string.Create(CultureInfo.InvariantCulture, $"{actual:D12}{0:D12}{new string(' ', 18)}"));
        }

        return Signed(message, terminalId);
    }

    /// <summary>The message behind its 2-byte big-endian length header.</summary>
    public static byte[] Frame(IsoMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var payload = IsoMessageWriter.ToArray(message);
        return [(byte)(payload.Length >> 8), (byte)payload.Length, .. payload];
    }

    private static IsoMessage CardRequest(int mti, string processingCode, string terminalId, int stan)
    {
        var message = new IsoMessage { Mti = mti };
        message.Set(2, DemoPan);
        message.Set(3, processingCode);
        message.Set(7, TransmissionDateTime);
        message.SetNumber(11, stan);
        message.Set(12, "100000");
        message.Set(13, "1125");
        message.Set(14, "2812");
        message.Set(22, "051");
        message.Set(32, "12345");
        message.Set(41, terminalId);
        Span<byte> block = stackalloc byte[PinBlock.Length];
        PinBlock.Encrypt(DemoPinKey, "1234"u8, Encoding.ASCII.GetBytes(DemoPan), block);
        message.Set(52, block);
        return message;
    }

    private static byte[] Signed(IsoMessage message, string terminalId)
    {
        if (terminalId == "ATM00001")
        {
            RetailMac.Sign(message, DemoMacKey);
        }

        return Frame(message);
    }
}
