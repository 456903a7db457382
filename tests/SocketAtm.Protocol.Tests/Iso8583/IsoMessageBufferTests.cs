using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Tests.Support;

namespace SocketAtm.Protocol.Tests.Iso8583;

/// <summary>The message's single buffer grows, is reused and is wiped; values must survive all three.</summary>
public class IsoMessageBufferTests
{
    [Fact]
    public void Setting_a_field_from_the_message_own_value_survives_buffer_growth()
    {
        var message = new IsoMessage { Mti = 810 };
        message.Set(48, new string('K', 500));

        // The 512-byte buffer must grow for this value, which lies in that very buffer.
        message.Set(102, message.Get(48)[..20]);

        Assert.Equal(new string('K', 20), message.GetString(102));
        Assert.Equal(new string('K', 500), message.GetString(48));
    }

    [Fact]
    public void Copying_a_field_from_the_same_message_survives_buffer_growth()
    {
        var message = new IsoMessage { Mti = 810 };
        message.Set(48, new string('K', 500));

        message.CopyFrom(message, 48);

        Assert.Equal(new string('K', 500), message.GetString(48));
    }

    [Fact]
    public void Message_larger_than_the_initial_buffer_round_trips()
    {
        var sent = ReferenceMessages.CreateWithdrawalRequest();
        sent.Set(48, new string('P', 999));
        sent.Set(54, new string('A', 120));

        var received = MessageAssert.ReadSingle(SegmentedSequence.Split(MessageAssert.Frame(sent), 100));

        MessageAssert.Equal(sent, received);
    }

    [Fact]
    public void Setting_a_field_again_replaces_its_value()
    {
        var message = ReferenceMessages.CreateWithdrawalResponse();

        message.Set(39, "51");
        message.Remove(38);

        Assert.Equal("51", message.GetString(39));
        Assert.False(message.Has(38));
        Assert.Equal(MessageAssert.FieldNumbers(message), MessageAssert.FieldNumbers(MessageAssert.ReadSingle(SegmentedSequence.Whole(MessageAssert.Frame(message)))));
    }

    [Fact]
    public void Clear_forgets_every_field_and_the_MTI()
    {
        var message = ReferenceMessages.CreateWithdrawalRequest();

        message.Clear();

        Assert.Equal(-1, message.Mti);
        Assert.Equal(0, message.FieldCount);
        Assert.True(message.Get(2).IsEmpty);
        Assert.Null(message.GetString(35));
    }

    [Theory]
    [InlineData(4, "2000", 2000)]
    [InlineData(2, "999999999999999999", 999_999_999_999_999_999)]
    public void Numeric_field_reads_as_a_number(int field, string digits, long expected)
    {
        var message = new IsoMessage();
        message.Set(field, digits);

        Assert.True(message.TryGetNumber(field, out var value));
        Assert.Equal(expected, value);
    }

    [Fact]
    public void Absent_non_numeric_or_19_digit_field_does_not_read_as_a_number()
    {
        var message = new IsoMessage();
        message.Set(39, "0A");
        message.Set(2, "4761739001010119123");

        Assert.False(message.TryGetNumber(39, out _));
        Assert.False(message.TryGetNumber(2, out _));
        Assert.False(message.TryGetNumber(4, out _));
    }
}
