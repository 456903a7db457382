using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Tests.Support;

namespace SocketAtm.Protocol.Tests.Iso8583;

/// <summary>Every message of every flow: built, framed, read, parsed, compared field by field.</summary>
public class FlowRoundTripTests
{
    public static TheoryData<string> Flows => FlowMessages.NameData;

    [Theory]
    [MemberData(nameof(Flows))]
    public void Flow_message_survives_write_frame_read_and_parse(string flow)
    {
        var sent = FlowMessages.Create(flow);

        var received = MessageAssert.ReadSingle(SegmentedSequence.Whole(MessageAssert.Frame(sent)));

        MessageAssert.Equal(sent, received);
    }

    [Theory]
    [MemberData(nameof(Flows))]
    public void Parsed_flow_message_encodes_to_the_same_bytes(string flow)
    {
        var frame = MessageAssert.Frame(FlowMessages.Create(flow));

        var reencoded = MessageAssert.Frame(MessageAssert.ReadSingle(SegmentedSequence.Whole(frame)));

        Assert.Equal(Convert.ToHexString(frame), Convert.ToHexString(reencoded));
    }

    [Fact]
    public void Reversal_carries_original_data_and_replacement_amounts_in_the_secondary_bitmap()
    {
        var received = MessageAssert.ReadSingle(SegmentedSequence.Whole(MessageAssert.Frame(FlowMessages.Create("0400 partial reversal"))));

        Assert.Equal(400, received.Mti);
        Assert.True(received.HasSecondaryBitmap);
        Assert.Equal(FlowMessages.ReversalOriginalData, received.GetString(90));
        Assert.Equal(FlowMessages.PartialReplacementAmounts, received.GetString(95));
        Assert.True(received.TryGetNumber(4, out var amount));
        Assert.Equal(2000, amount);
    }

    [Fact]
    public void Message_with_DE_90_95_102_and_128_round_trips_through_the_secondary_bitmap()
    {
        var sent = FlowMessages.Create("0200 with secondary bitmap (DE 90, 95, 102, 128)");

        var received = MessageAssert.ReadSingle(SegmentedSequence.OneBytePerSegment(MessageAssert.Frame(sent)));

        Assert.Equal([2, 3, 4, 11, 41, 90, 95, 102, 128], MessageAssert.FieldNumbers(received));
        MessageAssert.Equal(sent, received);
    }

    [Fact]
    public void Key_exchange_answer_carries_its_82_character_DE_48()
    {
        var received = MessageAssert.ReadSingle(SegmentedSequence.Whole(MessageAssert.Frame(FlowMessages.Create("0810 key exchange"))));

        Assert.Equal(82, received.Get(48).Length);
        Assert.StartsWith("TPK", received.GetString(48), StringComparison.Ordinal);
        Assert.Equal("161", received.GetString(70));
    }
}
