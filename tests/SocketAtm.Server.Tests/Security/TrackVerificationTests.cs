using System.Text;
using SocketAtm.Protocol.Composites;
using SocketAtm.Server.Security;

namespace SocketAtm.Server.Tests.Security;

public sealed class TrackVerificationTests
{
    private static readonly byte[] Cvk = Convert.FromHexString("0123456789ABCDEFFEDCBA9876543210");

    [Theory]
    // IBM CCA's worked example (PAN 4123456789012345, expiry 8701, service code 101: CVV 561), on a track.
    [InlineData("4123456789012345=870110100000561", true)]
    [InlineData("4123456789012345=870110100000562", false)]
    [InlineData("4123456789012345=8701101000005", false)] // too short to hold a CVV
    public void Verifies_the_CVV_of_a_track_under_its_service_code(string field, bool verifies)
    {
        Assert.True(Track2.TryParse(Encoding.ASCII.GetBytes(field), out var track));

        Assert.Equal(verifies, TrackVerification.CvvVerifies(Cvk, track));
    }

    [Fact]
    public void Verifies_a_chip_cards_iCVV_computed_under_service_code_999_on_a_track_of_another_service_code()
    {
        var icvv = new byte[CardVerificationValue.Length];
        CardVerificationValue.Compute(Cvk, "4123456789012345"u8, "8701"u8, "999"u8, icvv);
        var chipImage = "4123456789012345=8701201" + "0000" + "0" + Encoding.ASCII.GetString(icvv);
        var cvvOf201 = new byte[CardVerificationValue.Length];
        CardVerificationValue.Compute(Cvk, "4123456789012345"u8, "8701"u8, "201"u8, cvvOf201);
        Assert.NotEqual(cvvOf201, icvv); // otherwise the test would pass by the CVV alone

        Assert.True(Track2.TryParse(Encoding.ASCII.GetBytes(chipImage), out var track));
        Assert.True(TrackVerification.CvvVerifies(Cvk, track));
    }
}
