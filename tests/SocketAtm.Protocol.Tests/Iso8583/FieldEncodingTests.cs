using System.Text;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Tests.Support;

namespace SocketAtm.Protocol.Tests.Iso8583;

/// <summary>Each field type written to the exact bytes ISO 8583 prescribes, then parsed back to the same value.</summary>
public class FieldEncodingTests
{
    public static TheoryData<int, string, string> TextFields => new()
    {
        // n fixed: right-justified, zero-padded.
        { 4, "2000", "000000002000" },
        { 3, "012000", "012000" },
        { 11, "", "000000" },
        { 90, FlowMessages.ReversalOriginalData, FlowMessages.ReversalOriginalData },

        // an fixed: left-justified, space-padded.
        { 38, "AB12", "AB12  " },
        { 39, "00", "00" },
        { 95, "000000001000", "000000001000" + new string(' ', 30) },

        // ans fixed: left-justified, space-padded, any printable character.
        { 41, "ATM1", "ATM1    " },
        { 43, "Main St. #1, Springfield (US) ~{|}", "Main St. #1, Springfield (US) ~{|}      " },

        // n LLVAR: 2-digit length, no padding.
        { 2, ReferenceMessages.DemoPan, "16" + ReferenceMessages.DemoPan },
        { 2, "4761739001010119123", "194761739001010119123" },
        { 32, "400001", "06400001" },
        { 32, "", "00" },

        // z LLVAR: digits with '=' or 'D' as separator.
        { 35, "4761739001010119=2812101", "244761739001010119=2812101" },
        { 35, "4761739001010119D28121010000000000000", "374761739001010119D28121010000000000000" },

        // ans LLVAR.
        { 102, "CHK 0001 / 20", "13CHK 0001 / 20" },

        // LLLVAR: 3-digit length.
        { 48, "K", "001K" },
        { 54, "2001840C0000000980002002840C000000098000", "0402001840C0000000980002002840C000000098000" },
    };

    [Theory]
    [MemberData(nameof(TextFields))]
    public void Text_field_is_written_as_prescribed_and_parses_back(int field, string value, string wire)
    {
        var message = new IsoMessage { Mti = 200 };
        message.Set(field, value);

        var frame = MessageAssert.Frame(message);

        var expected = new RawMessageBuilder().Ascii("0200").Bitmap(field).Ascii(wire).ToFrame();
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(frame));
        var parsed = MessageAssert.ReadSingle(SegmentedSequence.Whole(frame));
        var prefix = FieldTable.Get(field).PrefixDigits;
        Assert.Equal(wire[prefix..], parsed.GetString(field));
        Assert.Equal([field], MessageAssert.FieldNumbers(parsed));
    }

    [Fact]
    public void Longest_LLLVAR_value_of_999_characters_round_trips()
    {
        var value = string.Concat(Enumerable.Repeat("TPK0123456789 ~", 67))[..999];
        var message = new IsoMessage { Mti = 810 };
        message.Set(48, value);

        var frame = MessageAssert.Frame(message);

        Assert.Equal("999", Encoding.ASCII.GetString(frame, 2 + 4 + 8, 3));
        Assert.Equal(value, MessageAssert.ReadSingle(SegmentedSequence.Whole(frame)).GetString(48));
    }

    [Theory]
    [InlineData(52)]
    [InlineData(64)]
    [InlineData(96)]
    [InlineData(128)]
    public void Binary_field_carries_every_byte_value_unchanged(int field)
    {
        byte[] value = [0x00, 0xFF, 0x80, 0x7F, 0x30, 0x0A, 0x20, 0x01];
        var message = new IsoMessage { Mti = 200 };
        message.Set(field, value);

        var frame = MessageAssert.Frame(message);

        var expected = new RawMessageBuilder().Ascii("0200").Bitmap(field).Bytes(value).ToFrame();
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(frame));
        Assert.Equal(value, MessageAssert.ReadSingle(SegmentedSequence.Whole(frame)).Get(field).ToArray());
    }

    [Fact]
    public void Secondary_bitmap_is_sent_only_when_a_field_above_64_is_present()
    {
        var primaryOnly = new IsoMessage { Mti = 200 };
        primaryOnly.Set(64, new byte[8]);
        var withSecondary = new IsoMessage { Mti = 200 };
        withSecondary.Set(70, "301");

        var primaryFrame = MessageAssert.Frame(primaryOnly);
        var secondaryFrame = MessageAssert.Frame(withSecondary);

        // Header 2 + MTI 4: the first bitmap byte is at 6; bit 1 is its most significant bit.
        Assert.Equal(0x00, primaryFrame[6] & 0x80);
        Assert.Equal(2 + 4 + 8 + 8, primaryFrame.Length);
        Assert.Equal(0x80, secondaryFrame[6] & 0x80);
        Assert.Equal(2 + 4 + 16 + 3, secondaryFrame.Length);

        // DE 70 is bit 6 of the secondary bitmap: 0000 0100 in its first byte.
        Assert.Equal(0x04, secondaryFrame[14]);
    }

    [Fact]
    public void Setting_a_value_too_long_or_of_the_wrong_characters_is_refused()
    {
        var message = new IsoMessage { Mti = 200 };

        Assert.Throws<ArgumentException>(() => message.Set(4, "1234567890123"));
        Assert.Throws<ArgumentException>(() => message.Set(4, "12A4"));
        Assert.Throws<ArgumentException>(() => message.Set(39, "0!"));
        Assert.Throws<ArgumentException>(() => message.Set(35, "4761X"));
        Assert.Throws<ArgumentException>(() => message.Set(52, new byte[7]));
        Assert.Throws<ArgumentException>(() => message.Set(66, "1"));
        Assert.Equal(0, message.FieldCount);
    }
}
