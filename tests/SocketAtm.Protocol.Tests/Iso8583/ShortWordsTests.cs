using SocketAtm.Protocol.Iso8583;

namespace SocketAtm.Protocol.Tests.Iso8583;

/// <summary>The register-wide character checks agree with the plain byte-by-byte rule for every byte at every position.</summary>
public class ShortWordsTests
{
    [Fact]
    public void AreDigits_is_true_exactly_when_every_byte_is_a_digit_for_every_length_up_to_16()
    {
        AssertAgreesWithTheByteRule(ShortWords.AreDigits, b => b is >= (byte)'0' and <= (byte)'9', valid: (byte)'7');
    }

    [Fact]
    public void ArePrintable_is_true_exactly_when_every_byte_is_printable_for_every_length_up_to_16()
    {
        AssertAgreesWithTheByteRule(ShortWords.ArePrintable, b => b is >= 0x20 and <= 0x7E, valid: (byte)'~');
    }

    [Theory]
    [InlineData(17)]
    [InlineData(40)]
    public void Longer_values_are_left_to_the_span_helpers(int length)
    {
        var digits = Enumerable.Repeat((byte)'5', length).ToArray();

        Assert.False(ShortWords.AreDigits(digits));
        Assert.False(ShortWords.ArePrintable(digits));
    }

    private delegate bool Check(ReadOnlySpan<byte> value);

    private static void AssertAgreesWithTheByteRule(Check check, Func<byte, bool> rule, byte valid)
    {
        for (var length = 0; length <= 16; length++)
        {
            var value = Enumerable.Repeat(valid, length).ToArray();
            Assert.True(check(value), $"length {length}, all valid");

            // Every pair of values in every two neighbouring bytes (or the one byte): a carry from one byte into the
            // next is the way a word-wide check goes wrong.
            for (var position = 0; position < Math.Max(length - 1, 1) && position < length; position++)
            {
                var pair = position + 1 < length;
                for (var first = 0; first <= 255; first++)
                {
                    for (var second = 0; second <= (pair ? 255 : 0); second++)
                    {
                        value[position] = (byte)first;
                        var expected = rule((byte)first);
                        if (pair)
                        {
                            value[position + 1] = (byte)second;
                            expected &= rule((byte)second);
                        }

                        if (check(value) != expected)
                        {
                            Assert.Fail($"length {length}: 0x{first:X2} 0x{second:X2} at {position} should be {expected}");
                        }
                    }
                }

                value[position] = valid;
                if (pair)
                {
                    value[position + 1] = valid;
                }
            }
        }
    }
}
