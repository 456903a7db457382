using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using SocketAtm.Protocol.Framing;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Security;
using SocketAtm.Protocol.Tests.Support;

namespace SocketAtm.Protocol.Tests.Security;

public class RetailMacTests
{
    private static readonly byte[] IsoExampleKey = Convert.FromHexString("0123456789ABCDEFFEDCBA9876543210");
    private static readonly byte[] DemoMacKey = Convert.FromHexString("1146ADC3F56CFB56FF054B0FEA03B0EE");

    // ISO/IEC 9797-1:2011 Annex B.4, MAC algorithm 3 with padding method 1, K = 0123456789ABCDEF, K' = FEDCBA9876543210.
    // The standard prints the MAC truncated to 32 bits; the values are quoted in openemv/crypto
    // test/crypto_tdes2_retail_mac_test.c. The full 8 bytes are checked against the independent computation below.
    [Theory]
    [InlineData("Now is the time for all ", "A1C72E74")]
    [InlineData("Now is the time for it", "2E2B1428")]
    public void Mac_matches_the_iso_9797_1_annex_b_examples(string data, string published32Bits)
    {
        var mac = new byte[RetailMac.Length];

        RetailMac.Compute(IsoExampleKey, Encoding.ASCII.GetBytes(data), mac);

        Assert.Equal(published32Bits, Convert.ToHexString(mac, 0, 4));
        Assert.Equal(BlockByBlockRetailMac(IsoExampleKey, Encoding.ASCII.GetBytes(data)), mac);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(63)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(257)]
    [InlineData(264)]
    [InlineData(1000)]
    [InlineData(9000)]
    public void Mac_of_any_length_matches_a_block_by_block_computation(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        var mac = new byte[RetailMac.Length];

        RetailMac.Compute(DemoMacKey, data, mac);

        Assert.Equal(BlockByBlockRetailMac(DemoMacKey, data), mac);
    }

    [Fact]
    public void Padding_method_1_adds_zero_bytes_only_up_to_the_block_boundary()
    {
        var short22 = Encoding.ASCII.GetBytes("Now is the time for it");
        var padded24 = new byte[24];
        short22.CopyTo(padded24, 0);
        var withPadding = new byte[RetailMac.Length];
        var explicitZeros = new byte[RetailMac.Length];

        RetailMac.Compute(IsoExampleKey, short22, withPadding);
        RetailMac.Compute(IsoExampleKey, padded24, explicitZeros);

        Assert.Equal(explicitZeros, withPadding);
    }

    [Fact]
    public void Verifying_raw_bytes_accepts_the_right_mac_and_rejects_any_change()
    {
        var message = SignedWithdrawal();
        var encoded = IsoMessageWriter.ToArray(message);
        Assert.True(RetailMac.Verify(DemoMacKey, encoded));

        for (var i = 0; i < encoded.Length; i++)
        {
            encoded[i] ^= 0x01;
            Assert.False(RetailMac.Verify(DemoMacKey, encoded), $"flipped bit at offset {i} went unnoticed");
            encoded[i] ^= 0x01;
        }

        Assert.False(RetailMac.Verify(IsoExampleKey, encoded));
        Assert.False(RetailMac.Verify(DemoMacKey, encoded.AsSpan(0, 19)));
    }

    [Fact]
    public void Sign_puts_the_mac_in_de_64_over_the_encoding_up_to_the_mac()
    {
        var message = Withdrawal();

        RetailMac.Sign(message, DemoMacKey);

        Assert.True(message.Has(64));
        Assert.False(message.Has(128));
        Assert.False(message.HasSecondaryBitmap);
        var encoded = IsoMessageWriter.ToArray(message);
        Assert.Equal(0x01, encoded[11] & 0x01); // bit 64 is the last bit of the primary bitmap
        Assert.Equal(BlockByBlockRetailMac(DemoMacKey, encoded[..^8]), message.Get(64).ToArray());
        Assert.Equal(message.Get(64).ToArray(), encoded[^8..]);
    }

    [Fact]
    public void Sign_uses_de_128_when_the_message_has_a_secondary_bitmap()
    {
        var message = Withdrawal();
        message.Mti = 400;
        message.Set(90, "020000012303121435120000012345600000000000");

        RetailMac.Sign(message, DemoMacKey);

        Assert.True(message.Has(128));
        Assert.False(message.Has(64));
        var encoded = IsoMessageWriter.ToArray(message);
        Assert.Equal(0, encoded[11] & 0x01); // bit 64 not set
        Assert.Equal(0x01, encoded[19] & 0x01); // bit 128 is the last bit of the secondary bitmap
        Assert.Equal(BlockByBlockRetailMac(DemoMacKey, encoded[..^8]), message.Get(128).ToArray());
    }

    [Fact]
    public void Sign_replaces_a_stale_mac_in_the_wrong_field()
    {
        var message = Withdrawal();
        message.Set(64, new byte[8]);
        message.Set(90, "020000012303121435120000012345600000000000");

        RetailMac.Sign(message, DemoMacKey);

        Assert.False(message.Has(64));
        Assert.True(RetailMac.Verify(DemoMacKey, message));
    }

    [Fact]
    public void A_signed_message_verifies_after_a_trip_through_the_parser()
    {
        var encoded = IsoMessageWriter.ToArray(SignedWithdrawal());
        var parsed = new IsoMessage();
        Assert.True(IsoMessageParser.TryParse(encoded, parsed, out _));

        Assert.True(RetailMac.Verify(DemoMacKey, parsed));
        Assert.False(RetailMac.Verify(IsoExampleKey, parsed));
    }

    [Fact]
    public void A_message_changed_after_signing_fails_verification()
    {
        var message = SignedWithdrawal();

        message.Set(4, "000000099900");

        Assert.False(RetailMac.Verify(DemoMacKey, message));
    }

    [Fact]
    public void A_message_without_a_mac_fails_verification()
    {
        Assert.False(RetailMac.Verify(DemoMacKey, Withdrawal()));
    }

    [Fact]
    public void A_mac_in_de_128_without_other_secondary_fields_fails_verification()
    {
        // Such a message has no field that needs the secondary bitmap, so its MAC belongs in DE 64.
        var message = Withdrawal();
        message.Set(128, new byte[8]);
        var encoded = IsoMessageWriter.ToArray(message);
        var mac = new byte[8];
        RetailMac.Compute(DemoMacKey, encoded.AsSpan(0, encoded.Length - 8), mac);
        message.Set(128, mac);

        Assert.True(RetailMac.Verify(DemoMacKey, IsoMessageWriter.ToArray(message)));
        Assert.False(RetailMac.Verify(DemoMacKey, message));
    }

    [Fact]
    public void A_message_with_both_mac_fields_fails_verification()
    {
        var message = Withdrawal();
        message.Set(90, "020000012303121435120000012345600000000000");
        RetailMac.Sign(message, DemoMacKey);

        message.Set(64, new byte[8]);

        Assert.False(RetailMac.Verify(DemoMacKey, message));
    }

    [Fact]
    public void A_long_message_is_signed_and_verified_through_a_pooled_buffer()
    {
        var message = Withdrawal();
        message.Set(48, new string('A', 999));
        message.Set(43, "SOCKETATM DEMO BRANCH 1      SPRINGFIELD");

        RetailMac.Sign(message, DemoMacKey);

        var encoded = IsoMessageWriter.ToArray(message);
        Assert.True(encoded.Length > 1024);
        Assert.Equal(BlockByBlockRetailMac(DemoMacKey, encoded[..^8]), message.Get(64).ToArray());
        Assert.True(RetailMac.Verify(DemoMacKey, message));
    }

    [Fact]
    public void Writing_a_signed_frame_gives_the_same_bytes_as_sign_then_frame()
    {
        var signedThenFramed = new ArrayBufferWriter<byte>();
        var expected = SignedWithdrawal();
        FrameWriter.WriteFrame(signedThenFramed, expected);

        var output = new ArrayBufferWriter<byte>();
        var message = Withdrawal();
        var written = RetailMac.WriteSignedFrame(output, message, DemoMacKey);

        Assert.Equal(signedThenFramed.WrittenSpan.ToArray(), output.WrittenSpan.ToArray());
        Assert.Equal(output.WrittenCount, written);
        Assert.Equal(expected.Get(64).ToArray(), message.Get(64).ToArray());
    }

    [Fact]
    public void Field_for_ignores_the_mac_fields_themselves()
    {
        var message = Withdrawal();
        Assert.Equal(64, RetailMac.FieldFor(message));

        message.Set(128, new byte[8]);
        Assert.Equal(64, RetailMac.FieldFor(message));

        message.Set(95, "000000004000000000000000000000000000000000");
        Assert.Equal(128, RetailMac.FieldFor(message));
    }

    [Fact]
    public void Compute_refuses_a_single_length_key_and_empty_data()
    {
        Assert.Throws<ArgumentException>(() => RetailMac.Compute(DemoMacKey.AsSpan(0, 8), "data"u8, new byte[8]));
        Assert.Throws<ArgumentException>(() => RetailMac.Compute(DemoMacKey, [], new byte[8]));
    }

    private static IsoMessage Withdrawal()
    {
        var message = new IsoMessage { Mti = 200 };
        message.Set(2, "4761739001010119");
        message.Set(3, "012000");
        message.Set(4, "000000010000");
        message.Set(7, "0312143512");
        message.Set(11, "000123");
        message.Set(41, "ATM00001");
        message.Set(49, "840");
        message.Set(52, new byte[8] { 1, 2, 3, 4, 5, 6, 7, 8 });
        return message;
    }

    private static IsoMessage SignedWithdrawal()
    {
        var message = Withdrawal();
        RetailMac.Sign(message, DemoMacKey);
        return message;
    }

    /// <summary>
    /// X9.19 the long way, for comparison: pad, then one single-DES ECB call per block with the chaining XOR done by
    /// hand, then a separate decryption under K' and encryption under K of the last result.
    /// </summary>
    private static byte[] BlockByBlockRetailMac(byte[] key, byte[] data)
    {
        var padded = new byte[(data.Length + 7) / 8 * 8];
        data.CopyTo(padded, 0);
#pragma warning disable CA5351 // X9.19 is defined over single DES.
        using var left = DES.Create();
        using var right = DES.Create();
#pragma warning restore CA5351
        left.Key = key[..8];
        right.Key = key[8..];
        var state = new byte[8];
        for (var offset = 0; offset < padded.Length; offset += 8)
        {
            for (var i = 0; i < 8; i++)
            {
                state[i] ^= padded[offset + i];
            }

            state = left.EncryptEcb(state, PaddingMode.None);
        }

        state = right.DecryptEcb(state, PaddingMode.None);
        return left.EncryptEcb(state, PaddingMode.None);
    }

    [Fact]
    public void Mac_is_checked_over_the_bytes_received_even_when_they_carry_an_empty_secondary_bitmap()
    {
        // Some stacks always send a secondary bitmap; with no DE 65-128 it is all zeros, and SocketAtm would not send it.
        var body = new RawMessageBuilder()
            .Ascii("0200").PrimaryBitmapOnly(1, 3, 11, 41, 64).Bytes(new byte[8])
            .Ascii("310000").Ascii("000042").Ascii("ATM00001")
            .ToPayload();
        var mac = new byte[RetailMac.Length];
        RetailMac.Compute(DemoMacKey, body, mac);
        byte[] received = [.. body, .. mac];
        var message = new IsoMessage();
        Assert.True(IsoMessageParser.TryParse(received, message, out var error), error.ToString());

        Assert.True(RetailMac.Verify(DemoMacKey, message));
    }

    [Fact]
    public void Mac_over_bytes_that_never_travelled_fails_the_check()
    {
        // The MAC of the message without its empty secondary bitmap is not the MAC of what was sent.
        var reencoded = new RawMessageBuilder()
            .Ascii("0200").PrimaryBitmapOnly(3, 11, 41, 64)
            .Ascii("310000").Ascii("000042").Ascii("ATM00001")
            .ToPayload();
        var mac = new byte[RetailMac.Length];
        RetailMac.Compute(DemoMacKey, reencoded, mac);
        var sent = new RawMessageBuilder()
            .Ascii("0200").PrimaryBitmapOnly(1, 3, 11, 41, 64).Bytes(new byte[8])
            .Ascii("310000").Ascii("000042").Ascii("ATM00001").Bytes(mac)
            .ToPayload();
        var message = new IsoMessage();
        Assert.True(IsoMessageParser.TryParse(sent, message, out var error), error.ToString());

        Assert.False(RetailMac.Verify(DemoMacKey, message));
    }

    [Fact]
    public void Changed_message_is_checked_over_its_new_encoding_not_the_bytes_it_came_from()
    {
        var original = new IsoMessage { Mti = 200 };
        original.Set(11, "000042");
        original.Set(41, "ATM00001");
        RetailMac.Sign(original, DemoMacKey);
        var message = new IsoMessage();
        Assert.True(IsoMessageParser.TryParse(IsoMessageWriter.ToArray(original), message, out _));

        message.Set(11, "000043");

        Assert.False(RetailMac.Verify(DemoMacKey, message));
    }
}
