using SocketAtm.Client;
using SocketAtm.Client.Messages;
using SocketAtm.Protocol.Composites;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Masking;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.TerminalClient.Tests.Client;

/// <summary>The composite fields as PROTOCOL.md §9 lays them out, and the PIN hygiene of §11.1.</summary>
public sealed class TerminalMessagesTests
{
    private static readonly byte[] DemoTpk = Convert.FromHexString("A13F766224F292F868D54D2CFAB1683A");

    [Fact]
    public void DE_54_gives_the_ledger_and_available_balance_of_the_account_asked_for()
    {
        var response = new IsoMessage { Mti = 210 };
        response.Set(54, "1001840C0000000050002001840D0000000012342002840C000000009900");

        Assert.Equal(new AccountBalance(-1234, 9900, 840), TerminalMessages.ReadBalance(response, AccountType.Checking));
        Assert.Equal(new AccountBalance(5000, 5000, 840), TerminalMessages.ReadBalance(response, AccountType.Savings));
        Assert.Equal(new AccountBalance(5000, 5000, 840), TerminalMessages.ReadBalance(response, AccountType.Default));
        Assert.Null(TerminalMessages.ReadBalance(response, AccountType.Credit));
    }

    [Fact]
    public void DE_90_and_DE_95_follow_the_protocol_layout()
    {
        var original = new OriginalRequest(200, 123, "0314093512", "123456", "012000", 10000, "4761739001010119");

        Assert.Equal("020000012303140935120000012345600000000000", TerminalMessages.OriginalDataElements(original));
        Assert.Equal("020000012303140935120000000000000000000000", TerminalMessages.OriginalDataElements(original with { AcquirerId = null }));
        Assert.Equal("000000004000000000000000000000000000000000", ReplacementAmounts.Format(4000));
    }

    [Fact]
    public void A_reversal_names_the_card_and_amount_of_its_original_and_its_text_shows_no_pan()
    {
        var original = new OriginalRequest(200, 123, "0314093512", "123456", "012000", 10000, "4761739001010119");
        var request = new IsoMessage();
        var identity = new RequestIdentity("ATM00009", "123456", 124, "0314093610", new DateTimeOffset(2026, 3, 14, 9, 36, 10, TimeSpan.Zero));

        TerminalMessages.SetReversal(request, 400, identity, original, dispensed: 4000);

        Assert.Equal("4761739001010119", request.GetString(2));
        Assert.Equal("000000010000", request.GetString(4));
        Assert.DoesNotContain("4761739001010119", original.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_withdrawal_request_matches_the_protocol_example_and_its_description_hides_the_pin_block()
    {
        var request = new IsoMessage();
        var identity = new RequestIdentity("ATM00009", "123456", 123, "0314093512", new DateTimeOffset(2026, 3, 14, 9, 35, 12, TimeSpan.Zero));

        TerminalMessages.SetCardRequest(request, 200, "012000", 10000, identity, 840, CardData.FromPan("4761739001010119"), "1234", DemoTpk);

        Assert.Equal("70450B5EE88E6C93", Convert.ToHexString(request.Get(52)));
        Assert.Equal(["000000010000", "0314093512", "000123", "093512", "0314", "123456", "ATM00009", "840"], new[] { 4, 7, 11, 12, 13, 32, 41, 49 }.Select(f => request.GetString(f)));
        var description = SensitiveData.Describe(request);
        Assert.DoesNotContain("4761739001010119", description, StringComparison.Ordinal);
        Assert.DoesNotContain("70450B5E", description, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_card_read_by_its_track_2_goes_as_DE_35_without_DE_2_as_in_the_protocol_example_and_its_description_hides_the_track()
    {
        var request = new IsoMessage();
        var identity = new RequestIdentity("ATM00009", "123456", 125, "0314094500", new DateTimeOffset(2026, 3, 14, 9, 45, 0, TimeSpan.Zero));

        TerminalMessages.SetCardRequest(request, 200, "012000", 4000, identity, 840, CardData.FromTrack2(DemoCards.ActiveTrack2), "1234", DemoTpk);

        Assert.False(request.Has(2));
        Assert.Equal(DemoCards.ActiveTrack2, request.GetString(35));
        Assert.Equal("70450B5EE88E6C93", Convert.ToHexString(request.Get(52))); // the PIN block takes the track's PAN
        var description = SensitiveData.Describe(request);
        Assert.DoesNotContain("4931734", description, StringComparison.Ordinal);
        Assert.DoesNotContain(DemoCards.Active, description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("4761739001010119=281210114931734", "4761739001010119")]
    [InlineData("4761739001010119D281210114931734", "4761739001010119")]
    [InlineData("4761739001010119=2812101", "4761739001010119")]
    public void A_track_2_gives_its_PAN_and_prints_masked(string track2, string pan)
    {
        var card = CardData.FromTrack2(track2);

        Assert.Equal(pan, card.Pan);
        Assert.Equal(track2, card.Track2);
        Assert.Equal("Card 476173******0119 (track 2)", card.ToString());
    }

    [Theory]
    [InlineData("4761739001010119")] // no separator
    [InlineData("4761739001010119=2812")] // no service code
    [InlineData("476173900101=2812101")] // a 12-digit PAN: no card request's
    [InlineData("4761739001010119=28121011493173412345678")] // longer than 37
    public void What_is_not_a_track_2_of_a_card_is_refused(string track2)
    {
        Assert.Throws<ArgumentException>(() => CardData.FromTrack2(track2));
    }

    [Theory]
    [InlineData(200, 210)]
    [InlineData(201, 210)]
    [InlineData(400, 410)]
    [InlineData(401, 410)]
    [InlineData(100, 110)]
    [InlineData(800, 810)]
    public void The_response_mti_is_the_request_class_plus_10(int request, int response)
    {
        Assert.Equal(response, MessageTypes.ResponseOf(request));
    }
}
