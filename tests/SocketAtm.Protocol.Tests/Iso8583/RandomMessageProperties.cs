using System.Buffers;
using FsCheck.Xunit;
using SocketAtm.Protocol.Framing;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Tests.Support;

namespace SocketAtm.Protocol.Tests.Iso8583;

/// <summary>Properties over random valid messages: random MTI, random subset of the defined fields, random valid values.</summary>
public class RandomMessageProperties
{
    [Property(Arbitrary = [typeof(RandomMessageArbitrary)], MaxTest = 500)]
    public void Random_valid_message_survives_write_frame_read_and_parse(RandomMessage random)
    {
        var output = new ArrayBufferWriter<byte>();
        FrameWriter.WriteFrame(output, random.Build());
        var buffer = SegmentedSequence.Split(output.WrittenSpan, random.SegmentSize);
        var reader = new LengthPrefixedFrameReader(LengthPrefixedFrameReader.DefaultMaxFrameLength);

        Assert.Equal(FrameReadStatus.Frame, reader.TryReadFrame(ref buffer, out var payload, out _));
        Assert.True(buffer.IsEmpty);
        var parsed = new IsoMessage();
        Assert.True(IsoMessageParser.TryParse(payload, parsed, out var error), error.ToString());

        Assert.Equal(random.Mti, parsed.Mti);
        Assert.Equal(random.Fields.Select(f => f.Field).Order(), MessageAssert.FieldNumbers(parsed));
        foreach (var (field, value) in random.Fields)
        {
            Assert.Equal(Convert.ToHexString(RandomMessage.ExpectedOnWire(field, value)), Convert.ToHexString(parsed.Get(field)));
        }
    }

    [Property(Arbitrary = [typeof(RandomMessageArbitrary)], MaxTest = 200)]
    public void Every_strict_prefix_of_a_valid_message_is_refused_without_an_exception(RandomMessage random)
    {
        var payload = IsoMessageWriter.ToArray(random.Build());
        var message = new IsoMessage();

        for (var length = 0; length < payload.Length; length++)
        {
            Assert.False(IsoMessageParser.TryParse(payload.AsSpan(0, length), message, out var error));
            Assert.NotEqual(ParseErrorKind.None, error.Kind);
            Assert.InRange(error.Offset, 0, length);
        }
    }

    [Property(MaxTest = 1000)]
    public void Arbitrary_bytes_never_make_the_parser_throw(byte[] bytes)
    {
        var message = new IsoMessage();

        var parsed = IsoMessageParser.TryParse(bytes, message, out var error);

        Assert.Equal(parsed, error.IsNone);
        Assert.InRange(error.Offset, 0, bytes.Length);
        Assert.False(string.IsNullOrEmpty(error.ToString()));
    }

    [Property(MaxTest = 1000)]
    public void Arbitrary_bytes_after_a_valid_header_never_make_the_parser_throw(byte[] tail, bool secondary)
    {
        // Random bytes rarely pass the MTI check; this puts them where fields and bitmaps are read.
        byte[] bitmap = secondary ? [0xF2, 0x3C, 0x46, 0xC1, 0x28, 0xE0, 0x80, 0x00] : [0x72, 0x3C, 0x46, 0xC1, 0x28, 0xE0, 0x80, 0x00];
        byte[] payload = [.. "0200"u8, .. bitmap, .. tail];
        var message = new IsoMessage();

        var parsed = IsoMessageParser.TryParse(payload, message, out var error);

        Assert.Equal(parsed, error.IsNone);
        Assert.InRange(error.Offset, 0, payload.Length);
        Assert.Equal(200, message.Mti);
    }
}
