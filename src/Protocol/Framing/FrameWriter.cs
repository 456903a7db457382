using System.Buffers;
using System.Buffers.Binary;
using SocketAtm.Protocol.Iso8583;

namespace SocketAtm.Protocol.Framing;

/// <summary>Writes length-prefixed frames: worst case known up front, one <c>GetSpan</c>, one <c>Advance</c>.</summary>
public static class FrameWriter
{
    /// <summary>Encodes <paramref name="message"/> with its 2-byte length header into <paramref name="output"/>.</summary>
    /// <returns>The number of bytes written, header included.</returns>
    public static int WriteFrame(IBufferWriter<byte> output, IsoMessage message)
    {
        ArgumentNullException.ThrowIfNull(output);
        var length = IsoMessageWriter.GetEncodedLength(message);
        if (length > ushort.MaxValue)
        {
            throw new InvalidOperationException($"Message of {length} bytes cannot be framed with a 2-byte header.");
        }

        var span = output.GetSpan(LengthPrefixedFrameReader.HeaderLength + length);
        BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)length);
        var written = IsoMessageWriter.Write(message, span[LengthPrefixedFrameReader.HeaderLength..]);
        output.Advance(LengthPrefixedFrameReader.HeaderLength + written);
        return LengthPrefixedFrameReader.HeaderLength + written;
    }

    /// <summary>Writes a zero-length keep-alive frame.</summary>
    public static void WriteKeepAlive(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.GetSpan(LengthPrefixedFrameReader.HeaderLength)[..LengthPrefixedFrameReader.HeaderLength].Clear();
        output.Advance(LengthPrefixedFrameReader.HeaderLength);
    }
}
