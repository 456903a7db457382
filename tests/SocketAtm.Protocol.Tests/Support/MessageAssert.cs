using System.Buffers;
using SocketAtm.Protocol.Framing;
using SocketAtm.Protocol.Iso8583;

namespace SocketAtm.Protocol.Tests.Support;

/// <summary>Comparisons and round trips shared by the codec tests.</summary>
internal static class MessageAssert
{
    /// <summary>Asserts the same MTI, the same set of fields and byte-equal values.</summary>
    public static void Equal(IsoMessage expected, IsoMessage actual)
    {
        Assert.Equal(expected.Mti, actual.Mti);
        Assert.Equal(FieldNumbers(expected), FieldNumbers(actual));
        foreach (var field in expected.Fields)
        {
            Assert.True(expected.Get(field).SequenceEqual(actual.Get(field)), $"DE {field} differs: expected {Convert.ToHexString(expected.Get(field))}, got {Convert.ToHexString(actual.Get(field))}");
        }
    }

    public static List<int> FieldNumbers(IsoMessage message)
    {
        var numbers = new List<int>();
        foreach (var field in message.Fields)
        {
            numbers.Add(field);
        }

        return numbers;
    }

    /// <summary>Encodes <paramref name="message"/> as a frame with <see cref="FrameWriter"/>.</summary>
    public static byte[] Frame(IsoMessage message)
    {
        var output = new ArrayBufferWriter<byte>();
        var written = FrameWriter.WriteFrame(output, message);
        Assert.Equal(output.WrittenCount, written);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Reads exactly one frame from <paramref name="input"/> and parses it; fails on anything else.</summary>
    public static IsoMessage ReadSingle(ReadOnlySequence<byte> input)
    {
        var reader = new LengthPrefixedFrameReader(LengthPrefixedFrameReader.DefaultMaxFrameLength);
        Assert.Equal(FrameReadStatus.Frame, reader.TryReadFrame(ref input, out var payload, out _));
        Assert.True(input.IsEmpty, "bytes left after the only frame");
        var message = new IsoMessage();
        Assert.True(IsoMessageParser.TryParse(payload, message, out var error), error.ToString());
        return message;
    }
}
