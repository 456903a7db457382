using SocketAtm.Protocol.Framing;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Tests.Support;

namespace SocketAtm.Protocol.Tests.Iso8583;

/// <summary>
/// Malformed input is a positioned <see cref="ParseError"/>, never an exception, and the message keeps what was
/// readable before the fault so the host can answer 30 echoing the MTI, DE 11 and DE 41.
/// Offsets count from the first MTI byte: MTI 0–3, primary bitmap 4–11, secondary bitmap (if any) 12–19.
/// </summary>
public class HostileMessageTests
{
    [Fact]
    public void LLVAR_length_over_the_field_maximum_is_reported_with_declared_and_maximum()
    {
        var payload = new RawMessageBuilder()
            .Ascii("0200").Bitmap(3, 11, 35)
            .Ascii("012000")                     // DE 3 at 12
            .Ascii("000123")                     // DE 11 at 18
            .Ascii("45").Ascii(new string('1', 45)) // DE 35 prefix at 24
            .ToPayload();

        var (message, error) = Parse(payload);

        AssertSameError(new ParseError(ParseErrorKind.LengthExceedsMaximum, 35, 24, Declared: 45, Limit: 37), error);
        Assert.Equal("DE 35: declared length 45 exceeds maximum 37 at offset 24", error.ToString());
        Assert.Equal(200, message.Mti);
        Assert.Equal("012000", message.GetString(3));
        Assert.Equal("000123", message.GetString(11));
        Assert.False(message.Has(35));
    }

    [Fact]
    public void LLLVAR_length_over_the_field_maximum_is_reported()
    {
        var payload = new RawMessageBuilder()
            .Ascii("0210").Bitmap(11, 54)
            .Ascii("000123")                     // DE 11 at 12
            .Ascii("121").Ascii(new string('0', 121)) // DE 54 prefix at 18
            .ToPayload();

        var (message, error) = Parse(payload);

        AssertSameError(new ParseError(ParseErrorKind.LengthExceedsMaximum, 54, 18, Declared: 121, Limit: 120), error);
        Assert.Equal("DE 54: declared length 121 exceeds maximum 120 at offset 18", error.ToString());
        Assert.Equal("000123", message.GetString(11));
    }

    [Fact]
    public void Non_digit_in_a_numeric_field_is_reported_at_its_offset_and_the_elements_after_it_are_read()
    {
        var payload = new RawMessageBuilder()
            .Ascii("0200").Bitmap(3, 4, 11)
            .Ascii("012000")                     // DE 3 at 12
            .Ascii("0000000A2000")               // DE 4 at 18, 'A' at 25
            .Ascii("000123")
            .ToPayload();

        var (message, error) = Parse(payload);

        AssertSameError(new ParseError(ParseErrorKind.InvalidCharacter, 4, 25, Byte: (byte)'A'), error);
        Assert.Equal("DE 4: non-digit 'A' at offset 25", error.ToString());
        Assert.Equal("012000", message.GetString(3));
        Assert.False(message.Has(4));
        Assert.Equal("000123", message.GetString(11));
    }

    [Fact]
    public void First_bad_element_is_reported_when_a_later_one_is_bad_too()
    {
        var payload = new RawMessageBuilder()
            .Ascii("0200").Bitmap(4, 11, 41)
            .Ascii("00000000X000")               // DE 4 at 12, 'X' at 20
            .Ascii("000123")                     // DE 11 at 24
            .Ascii("ATM").Bytes(0x07).Ascii("0001") // DE 41 at 30, BEL at 33
            .ToPayload();

        var (message, error) = Parse(payload);

        AssertSameError(new ParseError(ParseErrorKind.InvalidCharacter, 4, 20, Byte: (byte)'X'), error);
        Assert.Equal("000123", message.GetString(11));
        Assert.False(message.Has(41));
    }

    [Fact]
    public void Elements_after_one_longer_than_its_maximum_are_read_when_the_message_holds_it()
    {
        var payload = new RawMessageBuilder()
            .Ascii("0200").Bitmap(2, 11)
            .Ascii("20").Ascii("47617390010101190000") // DE 2 prefix at 12: 20 digits, maximum 19
            .Ascii("000123")
            .ToPayload();

        var (message, error) = Parse(payload);

        AssertSameError(new ParseError(ParseErrorKind.LengthExceedsMaximum, 2, 12, Declared: 20, Limit: 19), error);
        Assert.False(message.Has(2));
        Assert.Equal("000123", message.GetString(11));
    }

    [Fact]
    public void Bad_content_before_a_truncated_element_is_the_error_reported()
    {
        var payload = new RawMessageBuilder()
            .Ascii("0200").Bitmap(4, 11)
            .Ascii("00000000X000")               // DE 4 at 12, 'X' at 20
            .Ascii("0001")                       // DE 11 cut short
            .ToPayload();

        var (_, error) = Parse(payload);

        AssertSameError(new ParseError(ParseErrorKind.InvalidCharacter, 4, 20, Byte: (byte)'X'), error);
    }

    [Fact]
    public void Non_digit_in_a_length_prefix_is_reported_at_its_offset()
    {
        var payload = new RawMessageBuilder()
            .Ascii("0200").Bitmap(2, 3)
            .Ascii("1X4761739001010119")         // DE 2 prefix at 12, 'X' at 13
            .Ascii("012000")
            .ToPayload();

        var (message, error) = Parse(payload);

        AssertSameError(new ParseError(ParseErrorKind.InvalidLengthPrefix, 2, 13, Byte: (byte)'X'), error);
        Assert.Equal("DE 2: non-digit 'X' in length prefix at offset 13", error.ToString());
        Assert.Equal(200, message.Mti);
        Assert.Equal(0, message.FieldCount);
    }

    [Fact]
    public void Bitmap_bit_for_an_undefined_secondary_field_is_reported_after_the_readable_fields()
    {
        var payload = new RawMessageBuilder()
            .Ascii("0200").Bitmap(11, 41, 66)    // secondary bitmap at 12–19
            .Ascii("000123")                     // DE 11 at 20
            .Ascii("ATM00001")                   // DE 41 at 26
            .Ascii("1")                          // DE 66 would start at 34
            .ToPayload();

        var (message, error) = Parse(payload);

        AssertSameError(new ParseError(ParseErrorKind.UndefinedField, 66, 34), error);
        Assert.Equal("bitmap bit 66 set but DE 66 is not defined", error.ToString());
        Assert.Equal(200, message.Mti);
        Assert.Equal("000123", message.GetString(11));
        Assert.Equal("ATM00001", message.GetString(41));
    }

    [Fact]
    public void Undefined_primary_field_such_as_EMV_DE_55_still_leaves_DE_11_and_DE_41_readable()
    {
        var payload = new RawMessageBuilder()
            .Ascii("0200").Bitmap(11, 41, 55)
            .Ascii("000123")                     // DE 11 at 12
            .Ascii("ATM00001")                   // DE 41 at 18
            .Ascii("0059F2608").Bytes(0x12, 0x34) // DE 55 would start at 26
            .ToPayload();

        var (message, error) = Parse(payload);

        AssertSameError(new ParseError(ParseErrorKind.UndefinedField, 55, 26), error);
        Assert.Equal("bitmap bit 55 set but DE 55 is not defined", error.ToString());
        Assert.Equal("000123", message.GetString(11));
        Assert.Equal("ATM00001", message.GetString(41));
    }

    [Fact]
    public void Frame_ending_inside_a_field_names_the_field_and_keeps_DE_11()
    {
        var payload = new RawMessageBuilder()
            .Ascii("0200").Bitmap(11, 41)
            .Ascii("000123")                     // DE 11 at 12
            .Ascii("ATM0")                       // DE 41 at 18, 4 of 8 bytes
            .ToPayload();

        var (message, error) = Parse(payload);

        AssertSameError(new ParseError(ParseErrorKind.TruncatedField, 41, 22), error);
        Assert.Equal("frame ends inside DE 41", error.ToString());
        Assert.Equal(200, message.Mti);
        Assert.Equal("000123", message.GetString(11));
        Assert.False(message.Has(41));
    }

    [Fact]
    public void Frame_ending_inside_a_length_prefix_names_the_field()
    {
        var payload = new RawMessageBuilder().Ascii("0200").Bitmap(2).Ascii("1").ToPayload();

        var (_, error) = Parse(payload);

        AssertSameError(new ParseError(ParseErrorKind.TruncatedField, 2, 13), error);
        Assert.Equal("frame ends inside DE 2", error.ToString());
    }

    [Fact]
    public void Frame_ending_inside_a_variable_value_names_the_field()
    {
        var payload = new RawMessageBuilder().Ascii("0200").Bitmap(35).Ascii("33").Ascii("4761739001010119=2812").ToPayload();

        var (_, error) = Parse(payload);

        AssertSameError(new ParseError(ParseErrorKind.TruncatedField, 35, 35), error);
        Assert.Equal("frame ends inside DE 35", error.ToString());
    }

    [Fact]
    public void Secondary_bitmap_bit_set_without_a_secondary_bitmap_is_reported()
    {
        var payload = new RawMessageBuilder().Ascii("0200").PrimaryBitmapOnly(1, 11).ToPayload();

        var (message, error) = Parse(payload);

        AssertSameError(new ParseError(ParseErrorKind.TruncatedBitmap, 1, 12), error);
        Assert.Equal("secondary bitmap bit set but frame ends inside the secondary bitmap", error.ToString());
        Assert.Equal(200, message.Mti);
    }

    [Fact]
    public void Frame_ending_inside_the_primary_bitmap_is_reported()
    {
        var payload = new RawMessageBuilder().Ascii("0800").Bytes(0x82, 0x20, 0x00).ToPayload();

        var (message, error) = Parse(payload);

        AssertSameError(new ParseError(ParseErrorKind.TruncatedBitmap, 0, 7), error);
        Assert.Equal("frame ends inside the primary bitmap", error.ToString());
        Assert.Equal(800, message.Mti);
    }

    [Fact]
    public void MTI_with_a_letter_is_reported_and_no_MTI_is_kept()
    {
        var payload = new RawMessageBuilder().Ascii("02A0").Bitmap(11).Ascii("000123").ToPayload();

        var (message, error) = Parse(payload);

        AssertSameError(new ParseError(ParseErrorKind.InvalidMti, 0, 2, Byte: (byte)'A'), error);
        Assert.Equal("MTI: non-digit 'A' at offset 2", error.ToString());
        Assert.Equal(-1, message.Mti);
        Assert.Equal(0, message.FieldCount);
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("0", 1)]
    [InlineData("020", 3)]
    public void Truncated_MTI_is_reported(string text, int offset)
    {
        var (message, error) = Parse(new RawMessageBuilder().Ascii(text).ToPayload());

        AssertSameError(new ParseError(ParseErrorKind.TruncatedMti, 0, offset), error);
        Assert.Equal("frame ends inside the MTI", error.ToString());
        Assert.Equal(-1, message.Mti);
    }

    [Fact]
    public void Trailing_bytes_after_the_last_field_are_reported_with_their_count()
    {
        var payload = new RawMessageBuilder()
            .Ascii("0800").Bitmap(11)
            .Ascii("000001")                     // DE 11 at 12
            .Ascii("XYZ")                        // stray bytes at 18
            .ToPayload();

        var (message, error) = Parse(payload);

        AssertSameError(new ParseError(ParseErrorKind.TrailingBytes, 0, 18, Declared: 3), error);
        Assert.Equal("3 bytes after the last data element at offset 18", error.ToString());
        Assert.Equal("000001", message.GetString(11));
    }

    [Fact]
    public void Control_byte_in_an_ans_field_is_shown_in_hex()
    {
        var payload = new RawMessageBuilder()
            .Ascii("0200").Bitmap(11, 41)
            .Ascii("000123")
            .Ascii("ATM").Bytes(0x07).Ascii("0001") // DE 41 at 18, BEL at 21
            .ToPayload();

        var (message, error) = Parse(payload);

        AssertSameError(new ParseError(ParseErrorKind.InvalidCharacter, 41, 21, Byte: 0x07), error);
        Assert.Equal("DE 41: non-printable 0x07 at offset 21", error.ToString());
        Assert.Equal("000123", message.GetString(11));
    }

    [Fact]
    public void Punctuation_in_an_an_field_is_reported()
    {
        var (_, error) = Parse(new RawMessageBuilder().Ascii("0210").Bitmap(39).Ascii("0!").ToPayload());

        Assert.Equal("DE 39: non-alphanumeric '!' at offset 13", error.ToString());
    }

    [Fact]
    public void Letter_other_than_D_in_track_2_is_reported()
    {
        var (_, error) = Parse(new RawMessageBuilder().Ascii("0200").Bitmap(35).Ascii("05").Ascii("12X=3").ToPayload());

        AssertSameError(new ParseError(ParseErrorKind.InvalidCharacter, 35, 16, Byte: (byte)'X'), error);
        Assert.Equal("DE 35: invalid track 2 character 'X' at offset 16", error.ToString());
    }

    [Fact]
    public void Hostile_frame_read_through_the_frame_reader_gives_the_same_error()
    {
        var frame = new RawMessageBuilder().Ascii("0200").Bitmap(11, 41).Ascii("000123").Ascii("ATM0").ToFrame();
        var buffer = SegmentedSequence.OneBytePerSegment(frame);
        var reader = new LengthPrefixedFrameReader(LengthPrefixedFrameReader.DefaultMaxFrameLength);

        Assert.Equal(FrameReadStatus.Frame, reader.TryReadFrame(ref buffer, out var payload, out _));
        var message = new IsoMessage();
        Assert.False(IsoMessageParser.TryParse(payload, message, out var error));

        Assert.Equal("frame ends inside DE 41", error.ToString());
        Assert.Equal("000123", message.GetString(11));
    }

    [Fact]
    public void Message_reused_after_a_failed_parse_holds_only_the_new_fields()
    {
        var message = new IsoMessage();
        var bad = new RawMessageBuilder().Ascii("0200").Bitmap(2, 11, 41).Ascii("164761739001010119").Ascii("000123").Ascii("ATM").ToPayload();
        var good = new RawMessageBuilder().Ascii("0800").Bitmap(70).Ascii("301").ToPayload();
        Assert.False(IsoMessageParser.TryParse(bad, message, out _));
        Assert.True(message.Has(2));

        Assert.True(IsoMessageParser.TryParse(good, message, out var error), error.ToString());

        Assert.Equal(800, message.Mti);
        Assert.Equal([70], MessageAssert.FieldNumbers(message));
        Assert.Equal("301", message.GetString(70));
    }

    /// <summary>Compares every member; ParseError's ToString shows only the text, which would hide a wrong offset.</summary>
    private static void AssertSameError(ParseError expected, ParseError actual) => Assert.Equal(
        (expected.Kind, expected.Field, expected.Offset, expected.Declared, expected.Limit, expected.Byte),
        (actual.Kind, actual.Field, actual.Offset, actual.Declared, actual.Limit, actual.Byte));

    /// <summary>Parses from one span and from 1-byte segments; both must agree.</summary>
    private static (IsoMessage Message, ParseError Error) Parse(byte[] payload)
    {
        var message = new IsoMessage();
        Assert.False(IsoMessageParser.TryParse(payload, message, out var error));
        var fromSegments = new IsoMessage();
        Assert.False(IsoMessageParser.TryParse(SegmentedSequence.OneBytePerSegment(payload), fromSegments, out var segmentedError));
        AssertSameError(error, segmentedError);
        MessageAssert.Equal(message, fromSegments);
        return (message, error);
    }
}
