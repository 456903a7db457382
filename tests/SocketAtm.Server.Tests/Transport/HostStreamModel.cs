using System.Buffers;
using SocketAtm.Protocol.Framing;

namespace SocketAtm.Server.Tests.Transport;

/// <summary>
/// What the host should make of a byte stream, from PROTOCOL.md §2 and §6.6 alone: how many complete frames it takes,
/// and whether one of them ends the connection (a length above the maximum, or a message without a 4-digit MTI).
/// The test compares the real session with this model: it may not close earlier, and must close when the model does.
/// </summary>
internal sealed class HostStreamModel
{
    private readonly LengthPrefixedFrameReader _frames;
    private byte[] _pending = [];

    public HostStreamModel(int maxFrameLength) => _frames = new LengthPrefixedFrameReader(maxFrameLength);

    /// <summary>True once a frame that closes the connection has been seen; later bytes are never read.</summary>
    public bool Closed { get; private set; }

    /// <summary>Bytes of an incomplete frame waiting for the rest.</summary>
    public int PendingBytes => _pending.Length;

    /// <summary>Adds bytes the terminal sent; returns how many complete frames the host reads from them (the closing one included).</summary>
    public int Feed(ReadOnlySpan<byte> bytes)
    {
        if (Closed)
        {
            return 0;
        }

        var data = new ReadOnlySequence<byte>([.. _pending, .. bytes]);
        var frames = 0;
        while (true)
        {
            var status = _frames.TryReadFrame(ref data, out var payload, out _);
            if (status == FrameReadStatus.NeedMoreData)
            {
                break;
            }

            frames++;
            if (status == FrameReadStatus.FrameTooLarge || !payload.IsEmpty && !HasDigitMti(payload))
            {
                Closed = true;
                _pending = [];
                return frames;
            }
        }

        _pending = data.ToArray();
        return frames;
    }

    private static bool HasDigitMti(ReadOnlySequence<byte> payload)
    {
        if (payload.Length < 4)
        {
            return false;
        }

        Span<byte> mti = stackalloc byte[4];
        payload.Slice(0, 4).CopyTo(mti);
        foreach (var b in mti)
        {
            if (!char.IsAsciiDigit((char)b))
            {
                return false;
            }
        }

        return true;
    }
}
