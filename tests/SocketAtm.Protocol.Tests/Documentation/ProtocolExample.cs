using System.Buffers;
using SocketAtm.Protocol.Framing;
using SocketAtm.Protocol.Iso8583;

namespace SocketAtm.Protocol.Tests.Documentation;

/// <summary>
/// One annotated message of PROTOCOL.md: the message as the codec builds it, what its MTI means and what each of
/// its data elements means in this example.
/// </summary>
internal sealed record ProtocolExample(string Name, string MtiMeaning, IsoMessage Message, IReadOnlyDictionary<int, string> Meanings)
{
    /// <summary>The frame as it travels: 2-byte length header, then the encoded message.</summary>
    public byte[] Frame()
    {
        var output = new ArrayBufferWriter<byte>();
        FrameWriter.WriteFrame(output, Message);
        return output.WrittenSpan.ToArray();
    }
}
