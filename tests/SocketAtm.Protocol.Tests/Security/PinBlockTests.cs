using System.Security.Cryptography;
using System.Text;
using SocketAtm.Protocol.Security;

namespace SocketAtm.Protocol.Tests.Security;

public class PinBlockTests
{
    private static readonly byte[] DemoPinKey = Convert.FromHexString("A13F766224F292F868D54D2CFAB1683A");

    [Fact]
    public void Clear_format_0_block_is_pin_field_xor_pan_field()
    {
        // PIN field 04 12 34 FF FF FF FF FF; PAN field 00 00 11 11 11 11 11 11 (digits 4-15 of 4111111111111111).
        var block = new byte[PinBlock.Length];

        PinBlock.FormatClear("1234"u8, "4111111111111111"u8, block);

        Assert.Equal("041225EEEEEEEEEE", Convert.ToHexString(block));
    }

    // Vectors from the test suite of knovichikhin/psec (tests/test_pinblock.py, ISO 9564-1 format 0).
    [Theory]
    [InlineData("1234", "5555555551234567", "041261AAAAEDCBA9")]
    [InlineData("123456789", "5555555551234567", "091261032D8DCBA9")]
    [InlineData("1234567890", "5555555551234567", "0A1261032D82CBA9")]
    [InlineData("123456789012", "5555555551234567", "0C1261032D8226A9")]
    public void Clear_block_matches_published_vectors_both_ways(string pin, string pan, string expected)
    {
        var block = new byte[PinBlock.Length];
        PinBlock.FormatClear(Encoding.ASCII.GetBytes(pin), Encoding.ASCII.GetBytes(pan), block);
        Assert.Equal(expected, Convert.ToHexString(block));

        var extracted = new byte[PinBlock.MaxPinLength];
        Assert.True(PinBlock.TryExtractPin(Convert.FromHexString(expected), Encoding.ASCII.GetBytes(pan), extracted, out var length));
        Assert.Equal(pin, Encoding.ASCII.GetString(extracted, 0, length));
    }

    [Fact]
    public void Encrypted_block_matches_a_published_vector()
    {
        // From rkbalgi/isosim internal/iso/crypto_ops_test.go, itself checked there against neapay's online calculator.
        var key = Convert.FromHexString("AB9292288227277226252525224665FE");
        var block = new byte[PinBlock.Length];

        PinBlock.Encrypt(key, "1234"u8, "4356876509876788"u8, block);

        Assert.Equal("B4BF8522DFFB6FFB", Convert.ToHexString(block));
    }

    [Fact]
    public void Encryption_is_triple_des_ecb_of_the_clear_block()
    {
        var clear = new byte[PinBlock.Length];
        PinBlock.FormatClear("1234"u8, "4761739001010119"u8, clear);
        using var cipher = TripleDES.Create();
        cipher.Key = [.. DemoPinKey, .. DemoPinKey[..8]]; // K1 K2 K1: OpenSSL refuses a 16-byte Triple DES key
        var expected = cipher.EncryptEcb(clear, PaddingMode.None);

        var block = new byte[PinBlock.Length];
        PinBlock.Encrypt(DemoPinKey, "1234"u8, "4761739001010119"u8, block);

        Assert.Equal(expected, block);
    }

    [Theory]
    [InlineData("1234")]
    [InlineData("00000")]
    [InlineData("987654")]
    [InlineData("1234567")]
    [InlineData("99999999")]
    [InlineData("123456789")]
    [InlineData("0123456789")]
    [InlineData("12345678901")]
    [InlineData("999999999999")]
    public void Any_pin_of_4_to_12_digits_round_trips_under_the_demo_pin_key(string pin)
    {
        var pan = "4761739001010119"u8;
        var block = new byte[PinBlock.Length];
        PinBlock.Encrypt(DemoPinKey, Encoding.ASCII.GetBytes(pin), pan, block);

        var extracted = new byte[PinBlock.MaxPinLength];
        Assert.True(PinBlock.TryDecrypt(DemoPinKey, block, pan, extracted, out var length));
        Assert.Equal(pin, Encoding.ASCII.GetString(extracted, 0, length));
    }

    // Malformed clear blocks for PAN 5555555551234567; the first four are from knovichikhin/psec's decode error cases.
    [Theory]
    [InlineData("241261AAAAEDCBA9")] // control nibble 2 (format 2), not 0
    [InlineData("0F1261AAAAEDCBA9")] // PIN length 15
    [InlineData("021261AAAAEDCBA9")] // PIN length 2
    [InlineData("041261AAAAEDCBAA")] // filler nibble C instead of F
    [InlineData("051261AAAAEDCBA9")] // length 5 makes the fifth PIN nibble an F
    [InlineData("0D1261AAAAEDCBA9")] // PIN length 13
    [InlineData("041B61AAAAEDCBA9")] // PIN nibble B
    public void Malformed_clear_blocks_are_rejected_without_exception(string block)
    {
        var pin = Encoding.ASCII.GetBytes("XXXXXXXXXXXX");

        Assert.False(PinBlock.TryExtractPin(Convert.FromHexString(block), "5555555551234567"u8, pin, out var length));
        Assert.Equal(0, length);
        Assert.All(pin, b => Assert.Equal(0, b));
    }

    [Fact]
    public void A_block_decrypted_under_the_wrong_key_is_rejected()
    {
        var block = new byte[PinBlock.Length];
        PinBlock.Encrypt(DemoPinKey, "1234"u8, "4761739001010119"u8, block);
        var otherKey = Convert.FromHexString("1146ADC3F56CFB56FF054B0FEA03B0EE");

        Assert.False(PinBlock.TryDecrypt(otherKey, block, "4761739001010119"u8, new byte[PinBlock.MaxPinLength], out _));
    }

    [Fact]
    public void A_block_read_with_another_pan_does_not_give_the_pin_back()
    {
        var block = new byte[PinBlock.Length];
        PinBlock.Encrypt(DemoPinKey, "1234"u8, "4761739001010119"u8, block);
        var pin = new byte[PinBlock.MaxPinLength];

        // 4761739001010127 differs in the digit before the check digit, which overlays the PIN field's F filler.
        Assert.False(PinBlock.TryDecrypt(DemoPinKey, block, "4761739001010127"u8, pin, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(9)]
    [InlineData(16)]
    public void A_pin_block_that_is_not_8_bytes_is_rejected(int length)
    {
        Assert.False(PinBlock.TryDecrypt(DemoPinKey, new byte[length], "4761739001010119"u8, new byte[PinBlock.MaxPinLength], out _));
    }

    [Theory]
    [InlineData("476173900101")]         // 12 digits: no room for 12 digits before a check digit
    [InlineData("47617390010101190000")] // 20 digits
    [InlineData("476173900101011D")]
    [InlineData("")]
    public void An_unusable_pan_from_the_wire_is_rejected_without_exception(string pan)
    {
        Assert.False(PinBlock.TryDecrypt(DemoPinKey, new byte[PinBlock.Length], Encoding.ASCII.GetBytes(pan), new byte[PinBlock.MaxPinLength], out _));
    }

    [Theory]
    [InlineData("123", "4761739001010119")]
    [InlineData("1234567890123", "4761739001010119")]
    [InlineData("12a4", "4761739001010119")]
    [InlineData("1234", "476173900101")]
    [InlineData("1234", "47617390010101x9")]
    public void Building_a_block_from_an_invalid_pin_or_pan_throws(string pin, string pan)
    {
        Assert.Throws<ArgumentException>(() =>
            PinBlock.Encrypt(DemoPinKey, Encoding.ASCII.GetBytes(pin), Encoding.ASCII.GetBytes(pan), new byte[PinBlock.Length]));
    }

    [Fact]
    public void A_pin_key_that_is_not_double_length_is_refused()
    {
        Assert.Throws<ArgumentException>(() =>
            PinBlock.Encrypt(DemoPinKey.AsSpan(0, 8), "1234"u8, "4761739001010119"u8, new byte[PinBlock.Length]));
    }
}
