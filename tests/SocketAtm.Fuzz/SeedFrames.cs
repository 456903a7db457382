using SocketAtm.Fixtures;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Security;

namespace SocketAtm.Fuzz;

/// <summary>
/// Valid frames (2-byte length header + message) of every flow PROTOCOL.md defines, built with the codec and the demo
/// keys: the starting points that mutations bend. ATM00009 needs no MAC; ATM00001 frames carry a correct MAC. The
/// messages are src/Fixtures' <see cref="DemoRequests"/>, the same the host's tests send.
/// </summary>
public static class SeedFrames
{
    public const string DemoPan = DemoCards.Active;
    public const string TransmissionDateTime = DemoRequests.TransmissionDateTime;

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

    public static byte[] NetworkManagement(string terminalId, int stan, string code) =>
        Frame(DemoRequests.NetworkManagement(terminalId, stan, code));

    /// <summary>A withdrawal with DE 2, 3, 4, 7, 11, 12, 13, 14, 22, 32, 41, 49, 52 (and DE 64 for a MAC terminal).</summary>
    public static byte[] Withdrawal(string terminalId, int stan, long amount) =>
        Signed(DemoRequests.Withdrawal(amount, stan, terminalId: terminalId), terminalId);

    public static byte[] Balance(string terminalId, int stan) =>
        Signed(DemoRequests.BalanceInquiry(stan, terminalId: terminalId), terminalId);

    public static byte[] Reversal(string terminalId, int stan, int originalStan, long amount, long? dispensed, int mti = 400) =>
        Signed(DemoRequests.Reversal(amount, stan, originalStan, dispensed, terminalId, mti), terminalId);

    /// <summary>The message behind its 2-byte big-endian length header.</summary>
    public static byte[] Frame(IsoMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var payload = IsoMessageWriter.ToArray(message);
        return [(byte)(payload.Length >> 8), (byte)payload.Length, .. payload];
    }

    private static byte[] Signed(IsoMessage message, string terminalId)
    {
        if (terminalId == "ATM00001")
        {
            RetailMac.Sign(message, DemoKeys.MacKey);
        }

        return Frame(message);
    }
}
