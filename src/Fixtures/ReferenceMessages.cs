using System.Buffers;
using SocketAtm.Protocol.Framing;
using SocketAtm.Protocol.Iso8583;

namespace SocketAtm.Fixtures;

/// <summary>
/// The reference messages every benchmark and the codec's allocation tests measure: one cash withdrawal of
/// 20.00 USD from the checking account of demo card 4761739001010119 at ATM00001, and its approval.
/// Fixed to the byte, with a ready-made PIN block, because the allocation budgets and the npm peer comparison
/// (bench/peers/npm-iso8583/pack-unpack.js) are measured on exactly these messages.
/// </summary>
public static class ReferenceMessages
{
    /// <summary>The card of the reference withdrawal (PIN 1234, expiry 2812).</summary>
    public const string DemoPan = DemoCards.Active;

    /// <summary>Terminal that sends the reference withdrawal.</summary>
    public const string TerminalId = "ATM00001";

    /// <summary>Card acceptor name/location (ans40), exactly 40 characters so no padding is involved.</summary>
    public const string AcceptorLocation = "SOCKETATM DEMO BRANCH SPRINGFIELD     US";

    /// <summary>
    /// ISO 9564 format 0 PIN block of PIN 1234 for <see cref="DemoPan"/> (clear block 041223C6FFEFEFEE),
    /// 3DES-encrypted under the demo TPK, so a whole-stack benchmark can take the approval path.
    /// </summary>
    public static ReadOnlySpan<byte> PinBlock => [0x70, 0x45, 0x0B, 0x5E, 0xE8, 0x8E, 0x6C, 0x93];

    /// <summary>Fills <paramref name="message"/> with the reference 0200 withdrawal (all fields a terminal sends).</summary>
    public static void FillWithdrawalRequest(IsoMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        message.Clear();
        message.Mti = 200;
        message.Set(2, DemoPan);
        message.Set(3, "012000");
        message.Set(4, "000000002000");
        message.Set(7, "0415103015");
        message.Set(11, "000123");
        message.Set(12, "103015");
        message.Set(13, "0415");
        message.Set(14, "2812");
        message.Set(22, "021");
        message.Set(25, "02");
        message.Set(32, "400001");
        message.Set(35, "4761739001010119=2812101000000000");
        message.Set(41, TerminalId);
        message.Set(42, "SOCKETATM000001");
        message.Set(43, AcceptorLocation);
        message.Set(49, "840");
        message.Set(52, PinBlock);
    }

    /// <summary>
    /// Fills <paramref name="response"/> with the 0210 approval of <paramref name="request"/>: the echoed fields
    /// plus DE 37, 38, 39 and a DE 54 of 980.00 ledger and available. Allocation-free, like the host's hot path.
    /// </summary>
    public static void FillWithdrawalResponse(IsoMessage request, IsoMessage response)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        response.Clear();
        response.Mti = request.Mti + 10;
        response.CopyFrom(request, 2);
        response.CopyFrom(request, 3);
        response.CopyFrom(request, 4);
        response.CopyFrom(request, 7);
        response.CopyFrom(request, 11);
        response.CopyFrom(request, 12);
        response.CopyFrom(request, 13);
        response.CopyFrom(request, 32);
        response.Set(37, "000000000001");
        response.Set(38, "483920");
        response.Set(39, "00");
        response.CopyFrom(request, 41);
        response.CopyFrom(request, 49);
        response.Set(54, "2001840C0000000980002002840C000000098000");
    }

    /// <summary>A new message holding the reference 0200 withdrawal.</summary>
    public static IsoMessage CreateWithdrawalRequest()
    {
        var message = new IsoMessage();
        FillWithdrawalRequest(message);
        return message;
    }

    /// <summary>A new message holding the 0210 approval of the reference withdrawal.</summary>
    public static IsoMessage CreateWithdrawalResponse()
    {
        var response = new IsoMessage();
        FillWithdrawalResponse(CreateWithdrawalRequest(), response);
        return response;
    }

    /// <summary>The message as one frame (2-byte length header, then the message). Allocates; for set-up only.</summary>
    public static byte[] ToFrame(IsoMessage message)
    {
        var output = new ArrayBufferWriter<byte>();
        FrameWriter.WriteFrame(output, message);
        return output.WrittenSpan.ToArray();
    }
}
