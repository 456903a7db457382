using System.Buffers;
using SocketAtm.Protocol.Framing;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Tests.Support;

namespace SocketAtm.Protocol.Tests.Iso8583;

/// <summary>
/// The per-message hot path allocates nothing once warmed up: reading and parsing the reference 0200 into a reused
/// message, and building and framing its 0210 into a reused buffer. Counts this thread's allocations over 1,000 messages.
/// </summary>
public class AllocationTests
{
    private const int Messages = 1_000;
    private const int WarmUp = 200;

    [Fact]
    public void Parsing_the_reference_withdrawal_into_a_reused_message_allocates_nothing()
    {
        var frame = ReferenceMessages.ToFrame(ReferenceMessages.CreateWithdrawalRequest());
        var payload = new ReadOnlySequence<byte>(frame, 2, frame.Length - 2);
        var message = new IsoMessage();

        var allocated = AllocatedBytes(() => IsoMessageParser.TryParse(payload, message, out _), out var succeeded);

        Assert.Equal(Messages, succeeded);
        Assert.Equal(0, allocated);
        Assert.Equal(ReferenceMessages.DemoPan, message.GetString(2));
    }

    [Fact]
    public void Reading_and_parsing_one_byte_segments_into_a_reused_message_allocates_nothing()
    {
        var input = SegmentedSequence.OneBytePerSegment(ReferenceMessages.ToFrame(ReferenceMessages.CreateWithdrawalRequest()));
        var reader = new LengthPrefixedFrameReader(LengthPrefixedFrameReader.DefaultMaxFrameLength);
        var message = new IsoMessage();

        var allocated = AllocatedBytes(
            () =>
            {
                var buffer = input;
                return reader.TryReadFrame(ref buffer, out var payload, out _) == FrameReadStatus.Frame
                    && IsoMessageParser.TryParse(payload, message, out _);
            },
            out var succeeded);

        Assert.Equal(Messages, succeeded);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Building_and_framing_the_0210_into_a_reused_buffer_allocates_nothing()
    {
        var request = ReferenceMessages.CreateWithdrawalRequest();
        var response = new IsoMessage();
        var output = new ArrayBufferWriter<byte>(1024);

        var allocated = AllocatedBytes(
            () =>
            {
                output.ResetWrittenCount();
                ReferenceMessages.FillWithdrawalResponse(request, response);
                return FrameWriter.WriteFrame(output, response) > 0;
            },
            out var succeeded);

        Assert.Equal(Messages, succeeded);
        Assert.Equal(0, allocated);
        MessageAssert.Equal(response, MessageAssert.ReadSingle(new ReadOnlySequence<byte>(output.WrittenMemory)));
    }

    private static long AllocatedBytes(Func<bool> handleOneMessage, out int succeeded)
    {
        for (var i = 0; i < WarmUp; i++)
        {
            handleOneMessage();
        }

        succeeded = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Messages; i++)
        {
            if (handleOneMessage())
            {
                succeeded++;
            }
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
