using System.Security.Cryptography;
using SocketAtm.Protocol.Security;

namespace SocketAtm.Protocol.Tests.Security;

public class KeyCheckValueTests
{
    [Fact]
    public void Kcv_of_the_textbook_key_is_08D7B4()
    {
        // 0123456789ABCDEF FEDCBA9876543210 is the test key of many HSM manuals and payment-crypto tools;
        // its KCV, 08D7B4, is printed alongside it.
        Assert.Equal("08D7B4", KeyCheckValue.ToHex(Convert.FromHexString("0123456789ABCDEFFEDCBA9876543210")));
    }

    [Theory]
    [InlineData("F72E4C31320DC7AA66EAEAB7FAA58FAD")]
    [InlineData("A13F766224F292F868D54D2CFAB1683A")]
    [InlineData("1146ADC3F56CFB56FF054B0FEA03B0EE")]
    public void Kcv_is_the_first_three_bytes_of_zeros_encrypted_under_the_key(string keyHex)
    {
        var key = Convert.FromHexString(keyHex);
        using var cipher = TripleDES.Create();
        cipher.Key = [.. key, .. key[..8]]; // K1 K2 K1: OpenSSL refuses a 16-byte Triple DES key
        var expected = cipher.EncryptEcb(new byte[8], PaddingMode.None)[..3];

        var kcv = new byte[KeyCheckValue.Length];
        KeyCheckValue.Compute(key, kcv);

        Assert.Equal(expected, kcv);
        Assert.Equal(Convert.ToHexString(expected), KeyCheckValue.ToHex(key));
    }

    [Fact]
    public void Matches_accepts_either_case_and_rejects_other_values()
    {
        var key = Convert.FromHexString("0123456789ABCDEFFEDCBA9876543210");

        Assert.True(KeyCheckValue.Matches(key, "08D7B4"u8));
        Assert.True(KeyCheckValue.Matches(key, "08d7b4"u8));
        Assert.False(KeyCheckValue.Matches(key, "08D7B5"u8));
        Assert.False(KeyCheckValue.Matches(key, "08D7B"u8));
        Assert.False(KeyCheckValue.Matches(key, "08D7BG"u8));
    }
}
