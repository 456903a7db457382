using System.Buffers;
using SocketAtm.Protocol.Framing;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Tests.Support;

namespace SocketAtm.Protocol.Tests.Framing;

/// <summary>
/// Bytes arrive in arbitrary pieces: every vector is read as one segment and as 1-byte segments, every truncated
/// prefix must ask for more data without consuming anything, and several frames in one read must all come out in order.
/// </summary>
public class FrameFragmentationTests
{
    private static readonly LengthPrefixedFrameReader Reader = new(LengthPrefixedFrameReader.DefaultMaxFrameLength);

    public static TheoryData<string> Flows => FlowMessages.NameData;

    /// <summary>Segment sizes to cut buffers into; int.MaxValue means one segment.</summary>
    public static TheoryData<int> SegmentSizes => [1, 2, 3, 7, 64, int.MaxValue];

    [Theory]
    [MemberData(nameof(Flows))]
    public void Flow_frame_reads_the_same_as_one_segment_and_as_one_byte_segments(string flow)
    {
        var sent = FlowMessages.Create(flow);
        var frame = MessageAssert.Frame(sent);

        MessageAssert.Equal(sent, MessageAssert.ReadSingle(SegmentedSequence.Whole(frame)));
        MessageAssert.Equal(sent, MessageAssert.ReadSingle(SegmentedSequence.OneBytePerSegment(frame)));
    }

    [Theory]
    [MemberData(nameof(Flows))]
    public void Every_truncated_prefix_needs_more_data_and_leaves_the_buffer_unchanged(string flow)
    {
        var frame = MessageAssert.Frame(FlowMessages.Create(flow));
        foreach (var whole in new[] { SegmentedSequence.Whole(frame), SegmentedSequence.OneBytePerSegment(frame) })
        {
            for (var length = 0; length < frame.Length; length++)
            {
                var prefix = whole.Slice(0, length);
                var buffer = prefix;

                var status = Reader.TryReadFrame(ref buffer, out var payload, out _);

                Assert.Equal(FrameReadStatus.NeedMoreData, status);
                Assert.True(payload.IsEmpty);
                Assert.Equal(prefix.Length, buffer.Length);
                Assert.Equal(prefix.Start, buffer.Start);
                Assert.Equal(prefix.End, buffer.End);
            }
        }
    }

    [Theory]
    [MemberData(nameof(SegmentSizes))]
    public void Two_frames_in_one_buffer_are_both_read_in_order(int segmentSize)
    {
        var request = FlowMessages.Create("0200 withdrawal");
        var echo = FlowMessages.Create("0800 echo");
        var buffer = SegmentedSequence.Split([.. MessageAssert.Frame(request), .. MessageAssert.Frame(echo)], segmentSize);

        var messages = ReadAll(ref buffer, out var keepAlives);

        Assert.Equal(2, messages.Count);
        MessageAssert.Equal(request, messages[0]);
        MessageAssert.Equal(echo, messages[1]);
        Assert.Equal(0, keepAlives);
        Assert.True(buffer.IsEmpty);
    }

    [Theory]
    [MemberData(nameof(SegmentSizes))]
    public void Three_frames_in_one_buffer_are_all_read_in_order(int segmentSize)
    {
        string[] flows = ["0800 sign-on", "0200 withdrawal", "0400 partial reversal"];
        var sent = flows.Select(FlowMessages.Create).ToList();
        var buffer = SegmentedSequence.Split(sent.SelectMany(MessageAssert.Frame).ToArray(), segmentSize);

        var messages = ReadAll(ref buffer, out _);

        Assert.Equal(3, messages.Count);
        for (var i = 0; i < 3; i++)
        {
            MessageAssert.Equal(sent[i], messages[i]);
        }
    }

    [Theory]
    [MemberData(nameof(SegmentSizes))]
    public void Keep_alive_between_two_frames_is_returned_as_an_empty_payload(int segmentSize)
    {
        var first = MessageAssert.Frame(FlowMessages.Create("0800 echo"));
        var second = MessageAssert.Frame(FlowMessages.Create("0200 withdrawal"));
        var buffer = SegmentedSequence.Split([.. first, 0x00, 0x00, .. second], segmentSize);

        Assert.Equal(FrameReadStatus.Frame, Reader.TryReadFrame(ref buffer, out var payload1, out _));
        Assert.Equal(first.Length - 2, payload1.Length);
        Assert.Equal(FrameReadStatus.Frame, Reader.TryReadFrame(ref buffer, out var keepAlive, out _));
        Assert.True(keepAlive.IsEmpty);
        Assert.Equal(second.Length, buffer.Length);
        Assert.Equal(FrameReadStatus.Frame, Reader.TryReadFrame(ref buffer, out var payload2, out _));
        Assert.Equal(second.Length - 2, payload2.Length);
        Assert.Equal(FrameReadStatus.NeedMoreData, Reader.TryReadFrame(ref buffer, out _, out _));
        Assert.True(buffer.IsEmpty);
    }

    [Theory]
    [MemberData(nameof(SegmentSizes))]
    public void Frame_followed_by_part_of_the_next_leaves_exactly_the_partial_bytes(int segmentSize)
    {
        var first = MessageAssert.Frame(FlowMessages.Create("0200 withdrawal"));
        var second = MessageAssert.Frame(FlowMessages.Create("0200 balance inquiry"));
        var partial = second.AsSpan(0, 5).ToArray();
        var buffer = SegmentedSequence.Split([.. first, .. partial], segmentSize);

        Assert.Equal(FrameReadStatus.Frame, Reader.TryReadFrame(ref buffer, out _, out _));
        Assert.Equal(FrameReadStatus.NeedMoreData, Reader.TryReadFrame(ref buffer, out _, out _));

        Assert.Equal(partial, buffer.ToArray());
    }

    [Fact]
    public void Frame_reader_never_reads_past_the_declared_length_into_the_next_frame()
    {
        var first = MessageAssert.Frame(FlowMessages.Create("0810 echo"));
        var buffer = SegmentedSequence.Whole([.. first, .. first]);

        Assert.Equal(FrameReadStatus.Frame, Reader.TryReadFrame(ref buffer, out var payload, out _));

        Assert.Equal(first.AsSpan(2).ToArray(), payload.ToArray());
        Assert.Equal(first, buffer.ToArray());
    }

    private static List<IsoMessage> ReadAll(ref ReadOnlySequence<byte> buffer, out int keepAlives)
    {
        var messages = new List<IsoMessage>();
        keepAlives = 0;
        while (Reader.TryReadFrame(ref buffer, out var payload, out _) == FrameReadStatus.Frame)
        {
            if (payload.IsEmpty)
            {
                keepAlives++;
                continue;
            }

            var message = new IsoMessage();
            Assert.True(IsoMessageParser.TryParse(payload, message, out var error), error.ToString());
            messages.Add(message);
        }

        return messages;
    }
}
