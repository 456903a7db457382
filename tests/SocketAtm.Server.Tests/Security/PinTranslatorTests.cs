using System.Text;
using SocketAtm.Protocol.Security;
using SocketAtm.Server.Security;

namespace SocketAtm.Server.Tests.Security;

public sealed class PinTranslatorTests
{
    private static readonly byte[] Current = Convert.FromHexString("0123456789ABCDEFFEDCBA9876543210");
    private static readonly byte[] Pending = Convert.FromHexString("1146ADC3F56CFB56FF054B0FEA03B0EE");
    private static readonly byte[] Previous = Convert.FromHexString("A13F766224F292F868D54D2CFAB1683A");
    private static readonly byte[] ZonePinKey = Convert.FromHexString("1F2E3D4C5B6A79880918273645546372");
    private static readonly byte[] Pan = "5413330000000019"u8.ToArray();
    private static readonly TerminalPinKeys Keys = new(Current, Previous, Pending, Version: 3);

    [Theory]
    [InlineData("current")]
    [InlineData("pending")]
    [InlineData("previous")]
    public void A_block_under_any_of_the_terminals_keys_reaches_the_issuer_under_its_zone_key(string underKey)
    {
        var (key, expected) = underKey switch
        {
            "current" => (Current, PinTranslation.FromCurrentKey),
            "pending" => (Pending, PinTranslation.FromPendingKey),
            _ => (Previous, PinTranslation.FromPreviousKey),
        };
        var block = new byte[PinBlock.Length];
        PinBlock.Encrypt(key, "4321"u8, Pan, block);
        var translated = new byte[PinBlock.Length];

        Assert.Equal(expected, new SoftwarePinTranslator().Translate(Keys, Pan, block, ZonePinKey, translated));

        var pin = new byte[PinBlock.MaxPinLength];
        Assert.True(PinBlock.TryDecrypt(ZonePinKey, translated, Pan, pin, out var length));
        Assert.Equal("4321", Encoding.ASCII.GetString(pin, 0, length));
    }

    [Fact]
    public void A_block_under_none_of_the_terminals_keys_is_not_decodable_and_nothing_is_written()
    {
        var block = new byte[PinBlock.Length];
        PinBlock.Encrypt(ZonePinKey, "4321"u8, Pan, block);
        var translated = new byte[PinBlock.Length];

        Assert.Equal(PinTranslation.NotDecodable, new SoftwarePinTranslator().Translate(Keys, Pan, block, ZonePinKey, translated));
        Assert.All(translated, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Without_pending_or_previous_keys_only_the_current_key_is_tried()
    {
        var block = new byte[PinBlock.Length];
        PinBlock.Encrypt(Pending, "4321"u8, Pan, block);

        Assert.Equal(
            PinTranslation.NotDecodable,
            new SoftwarePinTranslator().Translate(new TerminalPinKeys(Current, null, null, 1), Pan, block, ZonePinKey, new byte[PinBlock.Length]));
    }
}
