using System.Buffers;
using SocketAtm.Protocol.Framing;
using SocketAtm.Protocol.Tests.Support;

namespace SocketAtm.Protocol.Tests.Framing;

/// <summary>A hostile length header is refused from the header alone: nothing of the declared size is allocated or awaited.</summary>
public class FrameSizeLimitTests
{
    [Theory]
    [InlineData(LengthPrefixedFrameReader.DefaultMaxFrameLength, 0x20, 0x01, 8193)]
    [InlineData(LengthPrefixedFrameReader.DefaultMaxFrameLength, 0xFF, 0xFF, 65535)]
    [InlineData(512, 0x02, 0x01, 513)]
    public void Length_header_over_the_maximum_is_FrameTooLarge_with_the_declared_length(int maximum, byte high, byte low, int declared)
    {
        var reader = new LengthPrefixedFrameReader(maximum);
        var original = SegmentedSequence.Whole([high, low, (byte)'0', (byte)'2']);
        var buffer = original;

        var status = reader.TryReadFrame(ref buffer, out var payload, out var declaredLength);

        Assert.Equal(FrameReadStatus.FrameTooLarge, status);
        Assert.Equal(declared, declaredLength);
        Assert.True(payload.IsEmpty);
        Assert.Equal(original.Start, buffer.Start);
        Assert.Equal(original.End, buffer.End);
    }

    [Fact]
    public void Length_header_split_across_segments_is_still_refused()
    {
        var reader = new LengthPrefixedFrameReader(LengthPrefixedFrameReader.DefaultMaxFrameLength);
        var buffer = SegmentedSequence.OneBytePerSegment([0xFF, 0xFF]);

        Assert.Equal(FrameReadStatus.FrameTooLarge, reader.TryReadFrame(ref buffer, out _, out var declared));
        Assert.Equal(65535, declared);
    }

    [Fact]
    public void Refusing_a_65535_byte_header_allocates_nothing()
    {
        var reader = new LengthPrefixedFrameReader(LengthPrefixedFrameReader.DefaultMaxFrameLength);
        var input = SegmentedSequence.Whole([0xFF, 0xFF, 0x30]);
        var warmUp = input;
        reader.TryReadFrame(ref warmUp, out _, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var refused = 0;
        for (var i = 0; i < 100; i++)
        {
            var buffer = input;
            if (reader.TryReadFrame(ref buffer, out _, out _) == FrameReadStatus.FrameTooLarge)
            {
                refused++;
            }
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(100, refused);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Frame_of_exactly_the_maximum_length_is_accepted()
    {
        var reader = new LengthPrefixedFrameReader(512);
        var frame = new byte[2 + 512];
        frame[0] = 0x02;
        var buffer = SegmentedSequence.Split(frame, 100);

        Assert.Equal(FrameReadStatus.Frame, reader.TryReadFrame(ref buffer, out var payload, out _));
        Assert.Equal(512, payload.Length);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void Default_reader_uses_the_default_maximum()
    {
        var reader = default(LengthPrefixedFrameReader);
        var atLimit = new byte[2 + LengthPrefixedFrameReader.DefaultMaxFrameLength];
        atLimit[0] = 0x20;
        var overLimit = new ReadOnlySequence<byte>([0x20, 0x01]);
        var buffer = new ReadOnlySequence<byte>(atLimit);

        Assert.Equal(FrameReadStatus.Frame, reader.TryReadFrame(ref buffer, out _, out _));
        Assert.Equal(FrameReadStatus.FrameTooLarge, reader.TryReadFrame(ref overLimit, out _, out _));
    }

    [Theory]
    [InlineData(15)]
    [InlineData(65536)]
    public void Maximum_outside_what_a_2_byte_header_can_express_sensibly_is_refused(int maximum) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new LengthPrefixedFrameReader(maximum));
}
