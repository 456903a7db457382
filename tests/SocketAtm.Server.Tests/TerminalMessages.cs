using System.Text;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Security;
using SocketAtm.Server.Tests.Sessions;

namespace SocketAtm.Server.Tests;

/// <summary>Builds the requests a terminal speaking PROTOCOL.md sends.</summary>
internal static class TerminalMessages
{
    public const string DemoPan = "4761739001010119";
    public const string TransmissionDateTime = "1125100000";

    public static IsoMessage SignOn(string terminalId = "ATM00009", int stan = 1) => NetworkManagement(terminalId, stan, "001");

    public static IsoMessage NetworkManagement(string terminalId, int stan, string code)
    {
        var message = new IsoMessage { Mti = 800 };
        message.Set(7, TransmissionDateTime);
        message.SetNumber(11, stan);
        message.Set(41, terminalId);
        message.Set(70, code);
        return message;
    }

    public static IsoMessage Withdrawal(long amount, int stan, string pan = DemoPan, string pin = "1234", string terminalId = "ATM00009", int mti = 200)
    {
        var message = CardRequest(mti, "012000", pan, pin, terminalId, stan);
        message.SetNumber(4, amount);
        message.Set(49, "840");
        return message;
    }

    public static IsoMessage BalanceInquiry(int stan, string pan = DemoPan, string pin = "1234", string terminalId = "ATM00009", int mti = 200) =>
        CardRequest(mti, "302000", pan, pin, terminalId, stan);

    public static IsoMessage Reversal(long amount, int stan, int originalStan, long? dispensed = null, string terminalId = "ATM00009", int mti = 400)
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
        message.Set(90, $"0200{originalStan:D6}{TransmissionDateTime}{"12345",11}00000000000".Replace(' ', '0'));
        if (dispensed is { } actual)
        {
            message.Set(95, $"{actual:D12}{0:D12}{new string(' ', 18)}");
        }

        return message;
    }

    private static IsoMessage CardRequest(int mti, string processingCode, string pan, string pin, string terminalId, int stan)
    {
        var message = new IsoMessage { Mti = mti };
        message.Set(2, pan);
        message.Set(3, processingCode);
        message.Set(7, TransmissionDateTime);
        message.SetNumber(11, stan);
        message.Set(12, "100000");
        message.Set(13, "1125");
        message.Set(14, "2812");
        message.Set(22, "051");
        message.Set(32, "12345");
        message.Set(41, terminalId);
        Span<byte> block = stackalloc byte[8];
        PinBlock.Encrypt(FakeLedger.DemoPinKey, Encoding.ASCII.GetBytes(pin), Encoding.ASCII.GetBytes(pan), block);
        message.Set(52, block);
        return message;
    }
}
