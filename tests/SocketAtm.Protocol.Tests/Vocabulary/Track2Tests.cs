using System.Text;
using SocketAtm.Protocol.Composites;

namespace SocketAtm.Protocol.Tests.Vocabulary;

public sealed class Track2Tests
{
    [Theory]
    [InlineData("4761739001010119=28121011123456789", "4761739001010119", "2812", "101", "1123456789", "567")]
    [InlineData("4761739001010119D2812101", "4761739001010119", "2812", "101", "", "")]
    [InlineData("4761739001010119=2812101112345", "4761739001010119", "2812", "101", "112345", "")]
    public void Reads_the_parts(string field, string pan, string expiry, string serviceCode, string discretionary, string cvv)
    {
        Assert.True(Track2.TryParse(Encoding.ASCII.GetBytes(field), out var track));

        Assert.Equal(pan, Encoding.ASCII.GetString(track.Pan));
        Assert.Equal(expiry, Encoding.ASCII.GetString(track.Expiry));
        Assert.Equal(serviceCode, Encoding.ASCII.GetString(track.ServiceCode));
        Assert.Equal(discretionary, Encoding.ASCII.GetString(track.Discretionary));
        Assert.Equal(cvv, Encoding.ASCII.GetString(track.Cvv));
    }

    [Theory]
    [InlineData("4761739001010119")] // no separator
    [InlineData("4761739001010119=281210")] // service code cut short
    [InlineData("47617390010=2812101")] // PAN of 11 digits
    [InlineData("47617390010101191234=2812101")] // PAN of 20 digits
    [InlineData("4761739001010119=2812101=1")] // a second separator
    [InlineData("4761739001010119=28121011234567890123456")] // 38 characters
    [InlineData("")]
    public void Refuses_what_is_not_a_track_2(string field)
    {
        Assert.False(Track2.TryParse(Encoding.ASCII.GetBytes(field), out _));
    }

    [Fact]
    public void Writes_what_it_reads()
    {
        Span<byte> buffer = stackalloc byte[Track2.MaxLength];
        var length = Track2.Write("4761739001010119"u8, "2812"u8, "101"u8, 1, "4411"u8, "123"u8, buffer);

        Assert.Equal("4761739001010119=28121011441 1123".Replace(" ", string.Empty, StringComparison.Ordinal), Encoding.ASCII.GetString(buffer[..length]));
        Assert.True(Track2.TryParse(buffer[..length], out var track));
        Assert.Equal("123", Encoding.ASCII.GetString(track.Cvv));
    }
}
