using System.Buffers.Binary;
using System.Text;

namespace SocketAtm.Protocol.Tests.Support;

/// <summary>
/// Writes message bytes by hand, independently of IsoMessageWriter, so tests can state exactly what is on the wire
/// (including things the writer would never produce: bad digits, lying length prefixes, undefined bits).
/// </summary>
internal sealed class RawMessageBuilder
{
    private readonly List<byte> _bytes = [];

    /// <summary>Number of bytes written so far: the offset of whatever is written next.</summary>
    public int Offset => _bytes.Count;

    public RawMessageBuilder Ascii(string text)
    {
        _bytes.AddRange(Encoding.ASCII.GetBytes(text));
        return this;
    }

    public RawMessageBuilder Bytes(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    /// <summary>The bitmap(s) for <paramref name="fields"/>: bit 1 and the secondary bitmap are added when a field above 64 is listed.</summary>
    public RawMessageBuilder Bitmap(params int[] fields)
    {
        var needsSecondary = fields.Any(f => f > 64);
        var bitmap = new byte[needsSecondary ? 16 : 8];
        foreach (var field in needsSecondary ? fields.Append(1) : fields)
        {
            bitmap[(field - 1) / 8] |= (byte)(0x80 >> ((field - 1) % 8));
        }

        return Bytes(bitmap);
    }

    /// <summary>Exactly the primary bitmap for <paramref name="fields"/>, even when that is inconsistent (e.g. bit 1 with no secondary bitmap).</summary>
    public RawMessageBuilder PrimaryBitmapOnly(params int[] fields)
    {
        var bitmap = new byte[8];
        foreach (var field in fields)
        {
            bitmap[(field - 1) / 8] |= (byte)(0x80 >> ((field - 1) % 8));
        }

        return Bytes(bitmap);
    }

    public byte[] ToPayload() => [.. _bytes];

    /// <summary>The payload behind a 2-byte big-endian length header.</summary>
    public byte[] ToFrame()
    {
        var frame = new byte[2 + _bytes.Count];
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)_bytes.Count);
        _bytes.CopyTo(frame, 2);
        return frame;
    }
}
