using System.Buffers;
using System.Buffers.Binary;

namespace SocketAtm.Protocol.Framing;

/// <summary>
/// Takes frames of the form [2-byte big-endian length][payload] from buffered input.
/// Pure and synchronous: it never allocates for the payload and never trusts a declared length above the cap.
/// </summary>
public readonly struct LengthPrefixedFrameReader
{
    /// <summary>Size of the length header that precedes every payload.</summary>
    public const int HeaderLength = 2;

    /// <summary>The maximum payload length used when none is configured.</summary>
    public const int DefaultMaxFrameLength = 8192;

    /// <summary>Creates a reader that refuses payloads longer than <paramref name="maxFrameLength"/> bytes.</summary>
    public LengthPrefixedFrameReader(int maxFrameLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFrameLength, 16);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxFrameLength, ushort.MaxValue);
        MaxFrameLength = maxFrameLength;
    }

    /// <summary>The largest payload accepted, in bytes.</summary>
    public int MaxFrameLength { get; }

    /// <summary>
    /// Tries to take one frame from the start of <paramref name="buffer"/>. On <see cref="FrameReadStatus.Frame"/>,
    /// <paramref name="payload"/> is the frame's payload (empty for a keep-alive) and <paramref name="buffer"/> is sliced
    /// past the frame; otherwise <paramref name="buffer"/> is unchanged.
    /// </summary>
    /// <param name="declaredLength">The declared length when the result is <see cref="FrameReadStatus.FrameTooLarge"/>.</param>
    public FrameReadStatus TryReadFrame(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> payload, out int declaredLength)
    {
        payload = default;
        declaredLength = 0;
        if (buffer.Length < HeaderLength)
        {
            return FrameReadStatus.NeedMoreData;
        }

        declaredLength = ReadHeader(buffer);
        var max = MaxFrameLength == 0 ? DefaultMaxFrameLength : MaxFrameLength;
        if (declaredLength > max)
        {
            return FrameReadStatus.FrameTooLarge;
        }

        if (buffer.Length < HeaderLength + declaredLength)
        {
            return FrameReadStatus.NeedMoreData;
        }

        payload = buffer.Slice(HeaderLength, declaredLength);
        buffer = buffer.Slice(payload.End);
        return FrameReadStatus.Frame;
    }

    /// <summary>The declared length; read from the first segment when it holds the whole header, as it nearly always does.</summary>
    private static int ReadHeader(in ReadOnlySequence<byte> buffer)
    {
        var first = buffer.FirstSpan;
        if (first.Length >= HeaderLength)
        {
            return BinaryPrimitives.ReadUInt16BigEndian(first);
        }

        Span<byte> header = stackalloc byte[HeaderLength];
        buffer.Slice(0, HeaderLength).CopyTo(header);
        return BinaryPrimitives.ReadUInt16BigEndian(header);
    }
}
