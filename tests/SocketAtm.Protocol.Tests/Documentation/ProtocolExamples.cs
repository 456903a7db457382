using System.Text;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Security;

namespace SocketAtm.Protocol.Tests.Documentation;

/// <summary>
/// The example messages of PROTOCOL.md, built with the codec, <see cref="PinBlock"/> and <see cref="RetailMac"/>.
/// They tell one story on 14 March: ATM00001 signs on and receives keys, MACing its 0800s; ATM00009 (no MAC) pays out
/// 100.00 from demo card 4761739001010119, then reverses the 60.00 it could not dispense; ATM00001 (MAC) pays out 20.00.
/// On 15 March someone replays ATM00009's withdrawal of the day before, and the host refuses it. Last, ATM00009 pays out 40.00 on 14 March
/// as a card reader does, with the card's track 2 (ProtocolExamples.Track2.cs).
/// </summary>
internal static partial class ProtocolExamples
{
    public const string DemoPan = "4761739001010119";
    public const string DemoPin = "1234";
    private const string AcquirerId = "123456";

    public static IReadOnlyList<ProtocolExample> All { get; } =
    [
        SignOnRequest(),
        SignOnResponse(),
        KeyExchangeRequest(),
        KeyExchangeResponse(),
        WithdrawalRequest(),
        WithdrawalResponse(),
        PartialReversalRequest(),
        PartialReversalResponse(),
        MacWithdrawalRequest(),
        MacWithdrawalResponse(),
        StaleWithdrawalResponse(),
        Track2WithdrawalRequest(),
        Track2WithdrawalResponse(),
    ];

    private static ProtocolExample SignOnRequest()
    {
        var message = Message(800, (7, "0314090000"), (11, "000001"), (41, "ATM00001"), (70, "001"));
        RetailMac.Sign(message, DemoKeys.MacKey);
        return new("sign-on-request", "network management request", message, new Dictionary<int, string>
        {
            [7] = "transmission date and time, MMDDhhmmss (GMT): 14 March 09:00:00",
            [11] = "STAN chosen by the terminal",
            [41] = "terminal id; a terminal that must send a MAC, on its 0800s too",
            [70] = "001 = sign-on",
            [128] = "X9.19 MAC under the demo TAK, in DE 128 because DE 70 is in the secondary bitmap; without it the host answers 63 and signs nothing on",
        });
    }

    private static ProtocolExample SignOnResponse()
    {
        var message = Message(810, (7, "0314090000"), (11, "000001"), (39, "00"), (41, "ATM00001"), (70, "001"));
        RetailMac.Sign(message, DemoKeys.MacKey);
        return new("sign-on-response", "network management response", message, new Dictionary<int, string>
        {
            [7] = "echoed",
            [11] = "echoed: the terminal matches the answer on DE 11 + DE 41",
            [39] = "00 = signed on over this connection",
            [41] = "echoed",
            [70] = "echoed",
            [128] = "X9.19 MAC under the key that verified the 0800 (here the demo TAK); the terminal acts on a 00 only when it verifies",
        });
    }

    private static ProtocolExample KeyExchangeRequest()
    {
        var message = Message(800, (7, "0314090005"), (11, "000002"), (41, "ATM00001"), (70, "161"));
        RetailMac.Sign(message, DemoKeys.MacKey);
        return new("key-exchange-request", "network management request", message, new Dictionary<int, string>
        {
            [7] = "14 March 09:00:05 GMT",
            [11] = "STAN",
            [41] = "terminal id, signed on over this connection",
            [70] = "161 = key exchange",
            [128] = "X9.19 MAC under the terminal's current TAK (the demo TAK): who cannot MAC under it gets 63 and no keys",
        });
    }

    private static ProtocolExample KeyExchangeResponse()
    {
        // The example re-issues the demo TPK and TAK so a reader can check the DE 48 value against the demo key table.
        var keys = new byte[KeyExchangeData.Length];
        KeyExchangeData.Write(DemoKeys.MasterKey, DemoKeys.PinKey, DemoKeys.MacKey, keys);
        var message = Message(810, (7, "0314090005"), (11, "000002"), (39, "00"), (41, "ATM00001"), (70, "161"));
        message.Set(48, keys);
        RetailMac.Sign(message, DemoKeys.MacKey);
        return new("key-exchange-response", "network management response", message, new Dictionary<int, string>
        {
            [7] = "echoed",
            [11] = "echoed",
            [39] = "00 = new keys follow",
            [41] = "echoed",
            [48] = "`TPK` + TPK under the TMK + KCV, `TAK` + TAK under the TMK + KCV (here the demo TPK and TAK); pending on the host until the terminal first uses them",
            [70] = "echoed: 161 = key exchange",
            [128] = "X9.19 MAC under the TAK that verified the 0800 — the current one, not the new one",
        });
    }

    private static ProtocolExample WithdrawalRequest()
    {
        var message = Message(
            200,
            (2, DemoPan),
            (3, "012000"),
            (4, "000000010000"),
            (7, "0314093512"),
            (11, "000123"),
            (12, "093512"),
            (13, "0314"),
            (14, "2812"),
            (32, AcquirerId),
            (41, "ATM00009"),
            (49, "840"));
        message.Set(52, EncryptedDemoPinBlock());
        return new("withdrawal-request", "financial transaction request", message, new Dictionary<int, string>
        {
            [2] = "demo card",
            [3] = "01 = cash withdrawal, 20 = from checking, 00",
            [4] = "100.00 in minor units",
            [7] = "14 March 09:35:12 GMT; part of the idempotency key",
            [11] = "STAN; part of the idempotency key",
            [12] = "local time 09:35:12",
            [13] = "local date 14 March",
            [14] = "expiry YYMM (optional: the host checks its own record)",
            [32] = "acquirer id; part of the idempotency key (as 00000123456)",
            [41] = "terminal id; a terminal that needs no MAC",
            [49] = "840 = USD, must equal the account currency",
            [52] = "PIN 1234 in an ISO 9564-1 format 0 block under the demo TPK",
        });
    }

    private static ProtocolExample WithdrawalResponse()
    {
        var message = Message(
            210,
            (2, DemoPan),
            (3, "012000"),
            (4, "000000010000"),
            (7, "0314093512"),
            (11, "000123"),
            (12, "093512"),
            (13, "0314"),
            (32, AcquirerId),
            (37, "000000000042"),
            (38, "735102"),
            (39, "00"),
            (41, "ATM00009"),
            (49, "840"),
            (54, "2001840C000000090000" + "2002840C000000090000"));
        return new("withdrawal-response", "financial transaction response", message, new Dictionary<int, string>
        {
            [2] = "echoed",
            [3] = "echoed",
            [4] = "echoed",
            [7] = "echoed",
            [11] = "echoed",
            [12] = "echoed",
            [13] = "echoed",
            [32] = "echoed",
            [37] = "retrieval reference number assigned by the host",
            [38] = "authorization id (approvals only)",
            [39] = "00 = approved: dispense the cash",
            [41] = "echoed",
            [49] = "echoed",
            [54] = "two blocks: checking (20), ledger (01) and available (02) balance, USD (840), credit (C), 900.00 each",
        });
    }

    private static ProtocolExample PartialReversalRequest()
    {
        var message = Message(
            400,
            (2, DemoPan),
            (3, "012000"),
            (4, "000000010000"),
            (7, "0314093610"),
            (11, "000124"),
            (32, AcquirerId),
            (41, "ATM00009"),
            (90, "0200" + "000123" + "0314093512" + "00000123456" + "00000000000"),
            (95, "000000004000" + "000000000000" + "000000000" + "000000000"));
        return new("partial-reversal-request", "reversal request", message, new Dictionary<int, string>
        {
            [2] = "the original's card (it must match: a reversal is refused 25 for another card)",
            [3] = "processing code of the original",
            [4] = "amount of the original: 100.00 (it must match: another amount is refused 64)",
            [7] = "this reversal's own date and time",
            [11] = "this reversal's own STAN",
            [32] = "acquirer id",
            [41] = "terminal id; the original is looked up on this terminal",
            [90] = "original MTI 0200, STAN 000123, DE 7 0314093512, acquirer 00000123456, forwarding institution 00000000000",
            [95] = "actually dispensed 40.00; settlement amount and both fee fields unused (zeros): 60.00 goes back",
        });
    }

    private static ProtocolExample PartialReversalResponse()
    {
        var message = Message(
            410,
            (2, DemoPan),
            (3, "012000"),
            (4, "000000010000"),
            (7, "0314093610"),
            (11, "000124"),
            (32, AcquirerId),
            (37, "000000000043"),
            (39, "00"),
            (41, "ATM00009"),
            (54, "2001840C000000096000" + "2002840C000000096000"),
            (90, "0200" + "000123" + "0314093512" + "00000123456" + "00000000000"),
            (95, "000000004000" + "000000000000" + "000000000" + "000000000"));
        return new("partial-reversal-response", "reversal response", message, new Dictionary<int, string>
        {
            [2] = "echoed",
            [3] = "echoed",
            [4] = "echoed",
            [7] = "echoed",
            [11] = "echoed",
            [32] = "echoed",
            [37] = "retrieval reference number assigned by the host to this reversal",
            [39] = "00 = reversed (also the answer to a repeat of this reversal)",
            [41] = "echoed",
            [54] = "balances after the 60.00 went back: 960.00 ledger (01) and available (02); only when money moved",
            [90] = "echoed",
            [95] = "echoed",
        });
    }

    private static ProtocolExample MacWithdrawalRequest()
    {
        var message = Message(
            200,
            (2, DemoPan),
            (3, "012000"),
            (4, "000000002000"),
            (7, "0314094005"),
            (11, "000003"),
            (32, AcquirerId),
            (41, "ATM00001"),
            (49, "840"));
        message.Set(52, EncryptedDemoPinBlock());
        RetailMac.Sign(message, DemoKeys.MacKey);
        return new("mac-withdrawal-request", "financial transaction request", message, new Dictionary<int, string>
        {
            [2] = "demo card",
            [3] = "cash withdrawal from checking",
            [4] = "20.00",
            [7] = "14 March 09:40:05 GMT",
            [11] = "STAN (ATM00001 used 000001 and 000002 for sign-on and key exchange)",
            [32] = "acquirer id",
            [41] = "terminal id; a terminal that must send a MAC",
            [49] = "USD",
            [52] = "PIN 1234 under the demo TPK (same block as above: format 0 does not depend on the terminal)",
            [64] = "X9.19 MAC under the demo TAK",
        });
    }

    private static ProtocolExample MacWithdrawalResponse()
    {
        var message = Message(
            210,
            (2, DemoPan),
            (3, "012000"),
            (4, "000000002000"),
            (7, "0314094005"),
            (11, "000003"),
            (32, AcquirerId),
            (37, "000000000044"),
            (38, "735103"),
            (39, "00"),
            (41, "ATM00001"),
            (49, "840"),
            (54, "2001840C000000094000" + "2002840C000000094000"));
        RetailMac.Sign(message, DemoKeys.MacKey);
        return new("mac-withdrawal-response", "financial transaction response", message, new Dictionary<int, string>
        {
            [2] = "echoed",
            [3] = "echoed",
            [4] = "echoed",
            [7] = "echoed",
            [11] = "echoed",
            [32] = "echoed",
            [37] = "retrieval reference number",
            [38] = "authorization id",
            [39] = "00 = approved",
            [41] = "echoed",
            [49] = "echoed",
            [54] = "ledger and available balance 940.00 (1,000.00 − 100.00 + 60.00 − 20.00)",
            [64] = "X9.19 MAC under the demo TAK, which the terminal checks before it dispenses",
        });
    }

    private static ProtocolExample StaleWithdrawalResponse()
    {
        var message = Message(
            210,
            (2, DemoPan),
            (3, "012000"),
            (4, "000000010000"),
            (7, "0314093512"),
            (11, "000123"),
            (12, "093512"),
            (13, "0314"),
            (32, AcquirerId),
            (39, "63"),
            (41, "ATM00009"),
            (49, "840"));
        return new("stale-withdrawal-response", "financial transaction response", message, new Dictionary<int, string>
        {
            [2] = "echoed",
            [3] = "echoed",
            [4] = "echoed",
            [7] = "echoed: 14 March 09:35:12, a day before the host's clock",
            [11] = "echoed",
            [12] = "echoed",
            [13] = "echoed",
            [32] = "echoed",
            [39] = "63 = security violation: stale DE 7; nothing applied, nothing stored under the key",
            [41] = "echoed",
            [49] = "echoed",
        });
    }

    /// <summary>DE 52 of the examples: PIN 1234 for the demo card under the demo TPK.</summary>
    public static byte[] EncryptedDemoPinBlock()
    {
        var block = new byte[PinBlock.Length];
        PinBlock.Encrypt(DemoKeys.PinKey, Encoding.ASCII.GetBytes(DemoPin), Encoding.ASCII.GetBytes(DemoPan), block);
        return block;
    }

    private static IsoMessage Message(int mti, params (int Field, string Value)[] fields)
    {
        var message = new IsoMessage { Mti = mti };
        foreach (var (field, value) in fields)
        {
            message.Set(field, value);
        }

        return message;
    }
}
