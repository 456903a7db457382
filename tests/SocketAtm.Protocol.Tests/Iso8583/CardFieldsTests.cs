using System.Text;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.Protocol.Tests.Iso8583;

/// <summary>The card's PAN and expiry come from DE 2 and DE 14, else from a track 2 that parses; a malformed one names no card.</summary>
public sealed class CardFieldsTests
{
    [Fact]
    public void DE_2_and_DE_14_come_first()
    {
        var message = Message(("4761739001010119", "2812", "5413330089020011=25121011234567890"));

        Assert.Equal("4761739001010119", Encoding.ASCII.GetString(CardFields.Pan(message)));
        Assert.Equal("2812", Encoding.ASCII.GetString(CardFields.Expiry(message)));
    }

    [Theory]
    [InlineData("4761739001010119=28121011493173400000", "4761739001010119", "2812")]
    [InlineData("4761739001010119D28121011493173400000", "4761739001010119", "2812")]
    [InlineData("4761739001010119=2812", "", "")] // no service code: not a track 2
    [InlineData("476173=28121011493173400000", "", "")] // a PAN too short to be one
    [InlineData("4761739001010119", "", "")] // no separator
    public void Without_them_a_well_formed_track_2_gives_them_and_a_malformed_one_gives_nothing(string track2, string pan, string expiry)
    {
        var message = Message((null, null, track2));

        Assert.Equal(pan, Encoding.ASCII.GetString(CardFields.Pan(message)));
        Assert.Equal(expiry, Encoding.ASCII.GetString(CardFields.Expiry(message)));
    }

    private static IsoMessage Message((string? Pan, string? Expiry, string Track2) card)
    {
        var message = new IsoMessage();
        message.Mti = MessageTypes.FinancialRequest;
        if (card.Pan is not null)
        {
            message.Set(DataElements.PrimaryAccountNumber, card.Pan.AsSpan());
        }

        if (card.Expiry is not null)
        {
            message.Set(DataElements.ExpirationDate, card.Expiry.AsSpan());
        }

        message.Set(DataElements.Track2, card.Track2.AsSpan());
        return message;
    }
}
