using System.Text;
using SocketAtm.Protocol.Security;

namespace SocketAtm.Protocol.Tests.Security;

/// <summary>An acquirer re-encrypts a terminal's PIN block from the terminal's TPK to the issuer's ZPK (PROTOCOL.md §15).</summary>
public sealed class PinTranslationTests
{
    private static readonly byte[] TerminalPinKey = Convert.FromHexString("0123456789ABCDEFFEDCBA9876543210");
    private static readonly byte[] ZonePinKey = Convert.FromHexString("1F2E3D4C5B6A79880918273645546372");
    private static readonly byte[] Pan = "5413330000000019"u8.ToArray();

    [Theory]
    [InlineData("1234")]
    [InlineData("987654")]
    [InlineData("123456789012")]
    public void The_translated_block_gives_the_same_pin_under_the_zone_key(string pin)
    {
        var underTerminalKey = new byte[PinBlock.Length];
        PinBlock.Encrypt(TerminalPinKey, Encoding.ASCII.GetBytes(pin), Pan, underTerminalKey);
        var underZoneKey = new byte[PinBlock.Length];

        Assert.True(PinBlock.TryTranslate(TerminalPinKey, ZonePinKey, underTerminalKey, Pan, underZoneKey));

        var extracted = new byte[PinBlock.MaxPinLength];
        Assert.True(PinBlock.TryDecrypt(ZonePinKey, underZoneKey, Pan, extracted, out var length));
        Assert.Equal(pin, Encoding.ASCII.GetString(extracted, 0, length));
        var expected = new byte[PinBlock.Length];
        PinBlock.Encrypt(ZonePinKey, Encoding.ASCII.GetBytes(pin), Pan, expected);
        Assert.Equal(expected, underZoneKey);
    }

    [Fact]
    public void A_block_that_does_not_decode_under_the_terminal_key_is_not_translated()
    {
        var underOtherKey = new byte[PinBlock.Length];
        PinBlock.Encrypt(ZonePinKey, "1234"u8, Pan, underOtherKey);
        var destination = new byte[PinBlock.Length];

        Assert.False(PinBlock.TryTranslate(TerminalPinKey, ZonePinKey, underOtherKey, Pan, destination));
        Assert.All(destination, b => Assert.Equal(0, b));
    }

    [Fact]
    public void A_block_for_another_pan_is_not_translated()
    {
        var block = new byte[PinBlock.Length];
        PinBlock.Encrypt(TerminalPinKey, "1234"u8, "5413330000000027"u8, block);

        Assert.False(PinBlock.TryTranslate(TerminalPinKey, ZonePinKey, block, Pan, new byte[PinBlock.Length]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(9)]
    public void A_block_that_is_not_8_bytes_is_not_translated(int length) =>
        Assert.False(PinBlock.TryTranslate(TerminalPinKey, ZonePinKey, new byte[length], Pan, new byte[PinBlock.Length]));
}
