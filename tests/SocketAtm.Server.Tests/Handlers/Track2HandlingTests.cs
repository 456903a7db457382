using SocketAtm.Server.Ledger;
using SocketAtm.Server.Tests.Sessions;

namespace SocketAtm.Server.Tests.Handlers;

/// <summary>
/// What the card handler does with DE 35: a track 2 that parses is handed to the ledger as what it says — its PAN equal
/// to DE 2's or not, its CVV verified under the CVK (as a CVV or an iCVV) or not, its expiry and service code — for the
/// card checks to compare with the card on file; one that does not parse is a format error (30). Without DE 35, an issuer
/// that refuses such requests answers 30; reversals never need it.
/// </summary>
public sealed class Track2HandlingTests
{
    /// <summary>Demo card 4761739001010119 with the iCVV (under service code 999) in place of its CVV.</summary>
    private const string ActiveTrack2WithIcvv = "4761739001010119=281210114931717";

    [Fact]
    public async Task The_demo_cards_track_2_reaches_the_ledger_as_genuine_with_or_without_DE_2()
    {
        await using var host = await SignedOnAsync();
        var withPan = DemoRequests.Withdrawal(4_000, 41);
        withPan.Set(35, DemoCards.ActiveTrack2);
        var trackAlone = DemoRequests.BalanceInquiry(42);
        trackAlone.Remove(2);
        trackAlone.Set(35, DemoCards.ActiveTrack2);

        Assert.Equal("00", (await ExchangeAsync(host, withPan)).GetString(39));
        Assert.Equal("00", (await ExchangeAsync(host, trackAlone)).GetString(39));

        var genuine = new Track2Evidence(PanMatches: true, CvvVerified: true, Expiry: 2812, ServiceCode: 101);
        Assert.Equal([genuine, genuine], host.Ledger.Requests.Select(request => request.Track2));
        Assert.Equal([DemoCards.Active, DemoCards.Active], host.Ledger.Requests.Select(request => request.Pan));
    }

    [Fact]
    public async Task A_chip_cards_iCVV_verifies_and_a_wrong_CVV_or_another_PAN_than_DE_2_is_handed_over_as_such()
    {
        await using var host = await SignedOnAsync();
        var icvv = DemoRequests.Withdrawal(4_000, 51);
        icvv.Set(35, ActiveTrack2WithIcvv);
        var wrongCvv = DemoRequests.Withdrawal(4_000, 52);
        wrongCvv.Set(35, DemoCards.ActiveTrack2[..^3] + "735");
        var otherCard = DemoRequests.Withdrawal(4_000, 53);
        otherCard.Set(35, DemoCards.PoorTrack2);
        var withoutTrack = DemoRequests.Withdrawal(4_000, 54);

        foreach (var request in new[] { icvv, wrongCvv, otherCard, withoutTrack })
        {
            await ExchangeAsync(host, request);
        }

        Assert.Equal(
            new Track2Evidence?[]
            {
                new(PanMatches: true, CvvVerified: true, Expiry: 2812, ServiceCode: 101),
                new(PanMatches: true, CvvVerified: false, Expiry: 2812, ServiceCode: 101),
                new(PanMatches: false, CvvVerified: true, Expiry: 2812, ServiceCode: 101),
                null,
            },
            host.Ledger.Requests.Select(request => request.Track2));
        Assert.Equal(DemoCards.Active, host.Ledger.Requests.ElementAt(2).Pan); // found by DE 2, as without a track
    }

    [Theory]
    [InlineData("4761739001010119=2812")] // no service code
    [InlineData("4761739001010119")] // no separator
    [InlineData("476173900101=2812101")] // the PAN is only 12 digits, as a card request's is not
    [InlineData("4761739001010119=2812101=4931734")] // a second separator in the discretionary data
    public async Task A_track_2_that_does_not_parse_is_answered_30_and_never_reaches_the_ledger(string track2)
    {
        await using var host = await SignedOnAsync();
        var request = DemoRequests.Withdrawal(4_000, 61);
        request.Remove(2);
        request.Set(35, track2);

        var response = await ExchangeAsync(host, request);

        Assert.Equal(ResponseCodes.FormatError, response.GetString(39));
        Assert.Empty(host.Ledger.Requests);
    }

    [Fact]
    public async Task Where_requests_without_track_2_are_refused_an_0100_or_0200_without_DE_35_is_answered_30_and_a_reversal_is_not()
    {
        await using var host = await SignedOnAsync(acceptRequestsWithoutTrack2: false);
        var withdrawal = DemoRequests.Withdrawal(4_000, 71);
        var inquiry = DemoRequests.BalanceInquiry(72, mti: 100);
        var repeat = DemoRequests.Withdrawal(4_000, 73, mti: 201);
        var withTrack = DemoRequests.Withdrawal(4_000, 74);
        withTrack.Set(35, DemoCards.ActiveTrack2);
        var reversal = DemoRequests.Reversal(4_000, 75, originalStan: 74);

        Assert.Equal(ResponseCodes.FormatError, (await ExchangeAsync(host, withdrawal)).GetString(39));
        Assert.Equal(ResponseCodes.FormatError, (await ExchangeAsync(host, inquiry)).GetString(39));
        Assert.Equal(ResponseCodes.FormatError, (await ExchangeAsync(host, repeat)).GetString(39));
        Assert.Equal(ResponseCodes.Approved, (await ExchangeAsync(host, withTrack)).GetString(39));
        Assert.Equal(ResponseCodes.Approved, (await ExchangeAsync(host, reversal)).GetString(39));

        Assert.Equal([TransactionKind.Withdrawal, TransactionKind.Reversal], host.Ledger.Requests.Select(request => request.Kind));
    }

    private static async Task<SessionHarness> SignedOnAsync(bool acceptRequestsWithoutTrack2 = true)
    {
        var host = new SessionHarness(acceptRequestsWithoutTrack2: acceptRequestsWithoutTrack2);
        await host.SendAsync(DemoRequests.SignOn());
        Assert.Equal("00", (await host.ReceiveAsync())!.GetString(39));
        return host;
    }

    private static async Task<SocketAtm.Protocol.Iso8583.IsoMessage> ExchangeAsync(SessionHarness host, SocketAtm.Protocol.Iso8583.IsoMessage request)
    {
        await host.SendAsync(request);
        return (await host.ReceiveAsync())!;
    }
}
