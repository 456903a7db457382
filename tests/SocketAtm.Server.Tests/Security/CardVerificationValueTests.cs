using System.Text;
using SocketAtm.Server.Security;

namespace SocketAtm.Server.Tests.Security;

public sealed class CardVerificationValueTests
{
    [Theory]
    // A published vector of an independent implementation (psec's tests).
    [InlineData("99999999999999998888888888888888", "2222222222222222", "3333", "111", "361")]
    // The worked example of IBM's CCA documentation for CVV generation.
    [InlineData("0123456789ABCDEFFEDCBA9876543210", "4123456789012345", "8701", "101", "561")]
    public void Computes_the_published_values(string cvk, string pan, string expiry, string serviceCode, string expected)
    {
        Span<byte> cvv = stackalloc byte[CardVerificationValue.Length];
        CardVerificationValue.Compute(Convert.FromHexString(cvk), Encoding.ASCII.GetBytes(pan), Encoding.ASCII.GetBytes(expiry), Encoding.ASCII.GetBytes(serviceCode), cvv);

        Assert.Equal(expected, Encoding.ASCII.GetString(cvv));
    }

    [Fact]
    public void Verifies_only_the_value_for_the_same_pan_expiry_and_service_code()
    {
        var cvk = Convert.FromHexString("0123456789ABCDEFFEDCBA9876543210");
        Assert.True(CardVerificationValue.Verify(cvk, "4123456789012345"u8, "8701"u8, "101"u8, "561"u8));
        Assert.False(CardVerificationValue.Verify(cvk, "4123456789012345"u8, "8701"u8, "101"u8, "562"u8));
        Assert.False(CardVerificationValue.Verify(cvk, "4123456789012345"u8, "8702"u8, "101"u8, "561"u8));
        Assert.False(CardVerificationValue.Verify(cvk, "4123456789012345"u8, "8701"u8, "999"u8, "561"u8));
        Assert.False(CardVerificationValue.Verify(cvk, "4123456789012346"u8, "8701"u8, "101"u8, "561"u8));
        Assert.False(CardVerificationValue.Verify(cvk, "4123456789012345"u8, "8701"u8, "101"u8, "56"u8));
    }

    [Fact]
    public void A_19_digit_pan_fits_the_32_digit_input()
    {
        Span<byte> cvv = stackalloc byte[CardVerificationValue.Length];
        CardVerificationValue.Compute(Convert.FromHexString("0123456789ABCDEFFEDCBA9876543210"), "4123456789012345678"u8, "2812"u8, "201"u8, cvv);

        Assert.True(cvv.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0);
    }
}
