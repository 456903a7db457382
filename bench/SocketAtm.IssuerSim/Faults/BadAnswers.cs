using System.Buffers.Binary;
using System.Text;
using SocketAtm.Protocol.Framing;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.IssuerSim.Faults;

/// <summary>
/// Turns a good answer into a bad one of the chosen <see cref="BadAnswerMode"/>. The message modes change the answer in
/// place (and it is then signed like any answer, so the acquirer must find the fault in the fields, not in the MAC);
/// the framing modes replace it with bytes of their own.
/// </summary>
internal static class BadAnswers
{
    private static readonly byte[] Garbage = Encoding.ASCII.GetBytes("GARBAGE:this is not ISO 8583");

    /// <summary>Changes <paramref name="answer"/> for a message mode; false for a framing mode (use <see cref="Frame"/>).</summary>
    public static bool TryCorrupt(BadAnswerMode mode, IsoMessage request, IsoMessage answer)
    {
        switch (mode)
        {
            case BadAnswerMode.UnknownKey:
                request.TryGetNumber(DataElements.Stan, out var stan);
                var other = (stan + 500_000) % 1_000_000;
                answer.SetNumber(DataElements.Stan, other == 0 ? 500_000 : other);
                return true;
            case BadAnswerMode.RequestMti:
                answer.Mti = MessageTypes.ClassOf(request.Mti);
                return true;
            case BadAnswerMode.PanMismatch:
                var pan = CardFields.Pan(request).ToArray();
                if (pan.Length == 0)
                {
                    pan = "5413330000000000"u8.ToArray();
                }

                pan[^1] = (byte)('0' + ((pan[^1] - '0' + 1) % 10));
                answer.Set(DataElements.PrimaryAccountNumber, pan);
                return true;
            case BadAnswerMode.AmountMismatch:
                request.TryGetNumber(DataElements.Amount, out var amount);
                answer.SetNumber(DataElements.Amount, amount + 1);
                return true;
            default:
                return false;
        }
    }

    /// <summary>The bytes of a framing mode: an over-the-cap frame, or a well-framed payload that does not parse.</summary>
    public static byte[] Frame(BadAnswerMode mode, int maxFrameLength)
    {
        var payloadLength = mode == BadAnswerMode.Oversize ? maxFrameLength + 1 : Garbage.Length;
        var frame = new byte[LengthPrefixedFrameReader.HeaderLength + payloadLength];
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)payloadLength);
        if (mode == BadAnswerMode.Oversize)
        {
            frame.AsSpan(LengthPrefixedFrameReader.HeaderLength).Fill((byte)'0');
        }
        else
        {
            Garbage.CopyTo(frame, LengthPrefixedFrameReader.HeaderLength);
        }

        return frame;
    }
}
