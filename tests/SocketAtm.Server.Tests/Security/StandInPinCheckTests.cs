using System.Text;
using SocketAtm.Protocol.Composites;
using SocketAtm.Protocol.Security;
using SocketAtm.Server.Security;

namespace SocketAtm.Server.Tests.Security;

/// <summary>
/// Stand-in verifies the PIN of another issuer's card against the PVV its track 2 carries, under that issuer's PVK and
/// the terminal's PIN keys; anything it cannot verify against is unverifiable, not a wrong PIN.
/// </summary>
public sealed class StandInPinCheckTests
{
    private const string Pin = "4321";
    private const int Pvki = 1;

    private static readonly byte[] IssuerPvk = Convert.FromHexString("7A3C5E9B1D2F4860A1B2C3D4E5F60718");
    private static readonly byte[] Current = Convert.FromHexString("0123456789ABCDEFFEDCBA9876543210");
    private static readonly byte[] Pending = Convert.FromHexString("1146ADC3F56CFB56FF054B0FEA03B0EE");
    private static readonly byte[] Previous = Convert.FromHexString("A13F766224F292F868D54D2CFAB1683A");
    private static readonly byte[] Pan = "5413330000000019"u8.ToArray();
    private static readonly TerminalPinKeys Keys = new(Current, Previous, Pending, Version: 3);

    private static readonly StandInPinCheck Check = new(new PinVerificationKey(IssuerPvk, Pvki));

    [Theory]
    [InlineData("current")]
    [InlineData("pending")]
    [InlineData("previous")]
    public void The_right_pin_under_any_of_the_terminals_keys_is_verified(string underKey)
    {
        var key = underKey switch { "current" => Current, "pending" => Pending, _ => Previous };

        Assert.Equal(StandInPinResult.Verified, Check.Check(Keys, Pan, Track(CardPvv()), Block(key, Pin)));
    }

    [Fact]
    public void A_wrong_pin_is_wrong()
    {
        Assert.Equal(StandInPinResult.WrongPin, Check.Check(Keys, Pan, Track(CardPvv()), Block(Current, "4322")));
    }

    [Fact]
    public void A_pin_block_under_none_of_the_terminals_keys_is_a_wrong_pin()
    {
        Assert.Equal(StandInPinResult.WrongPin, Check.Check(Keys, Pan, Track(CardPvv()), Block(IssuerPvk, Pin)));
    }

    [Fact]
    public void The_right_pin_under_another_pvk_is_wrong()
    {
        var other = new StandInPinCheck(new PinVerificationKey(Convert.FromHexString("00112233445566778899AABBCCDDEEFF"), Pvki));

        Assert.Equal(StandInPinResult.WrongPin, other.Check(Keys, Pan, Track(CardPvv()), Block(Current, Pin)));
    }

    [Fact]
    public void A_card_of_another_pvki_is_unverifiable()
    {
        var pvv = Encoding.ASCII.GetBytes(CardPvv(pvki: 2));

        Assert.Equal(StandInPinResult.Unverifiable, Check.Check(Keys, Pan, Track(pvv, pvki: 2), Block(Current, Pin)));
    }

    [Fact]
    public void Without_a_pvk_configured_everything_is_unverifiable()
    {
        var none = new StandInPinCheck(null);

        Assert.False(none.HasKey);
        Assert.True(Check.HasKey);
        Assert.Equal(StandInPinResult.Unverifiable, none.Check(Keys, Pan, Track(CardPvv()), Block(Current, Pin)));
    }

    [Fact]
    public void Without_track_2_it_is_unverifiable()
    {
        Assert.Equal(StandInPinResult.Unverifiable, Check.Check(Keys, Pan, [], Block(Current, Pin)));
    }

    [Fact]
    public void A_track_2_without_a_pvv_is_unverifiable()
    {
        // PAN, separator, expiry, service code, the PVKI and only three digits: no room for a PVV.
        var track = Encoding.ASCII.GetBytes("5413330000000019=28121011234");

        Assert.Equal(StandInPinResult.Unverifiable, Check.Check(Keys, Pan, track, Block(Current, Pin)));
    }

    [Fact]
    public void A_track_2_of_another_card_is_unverifiable()
    {
        var otherPan = "5413330000000027"u8;

        Assert.Equal(StandInPinResult.Unverifiable, Check.Check(Keys, otherPan, Track(CardPvv()), Block(Current, Pin)));
    }

    [Fact]
    public void A_track_2_that_does_not_parse_is_unverifiable()
    {
        Assert.Equal(StandInPinResult.Unverifiable, Check.Check(Keys, Pan, "5413330000000019=28X2101123456789"u8, Block(Current, Pin)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void Without_a_pin_block_of_eight_bytes_it_is_unverifiable(int length)
    {
        Assert.Equal(StandInPinResult.Unverifiable, Check.Check(Keys, Pan, Track(CardPvv()), new byte[length]));
    }

    private static string CardPvv(int pvki = Pvki)
    {
        var pvv = new byte[4];
        PinVerificationValue.Compute(IssuerPvk, Pan, pvki, Encoding.ASCII.GetBytes(Pin), pvv);
        return Encoding.ASCII.GetString(pvv);
    }

    private static byte[] Track(string pvv, int pvki = Pvki) => Track(Encoding.ASCII.GetBytes(pvv), pvki);

    private static byte[] Track(byte[] pvv, int pvki = Pvki)
    {
        var track = new byte[Track2.MaxLength];
        var length = Track2.Write(Pan, "2812"u8, "101"u8, pvki, pvv, "123"u8, track);
        return track[..length];
    }

    private static byte[] Block(byte[] pinKey, string pin)
    {
        var block = new byte[PinBlock.Length];
        PinBlock.Encrypt(pinKey, Encoding.ASCII.GetBytes(pin), Pan, block);
        return block;
    }
}
