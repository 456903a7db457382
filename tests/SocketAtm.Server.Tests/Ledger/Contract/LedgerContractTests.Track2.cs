using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Tests.Ledger.PostgreSql;

namespace SocketAtm.Server.Tests.Ledger.Contract;

/// <summary>
/// Card requests with a track 2 (DE 35): the handler verified its CVV and read its expiry and service code; the ledger
/// compares them with the card on file. A track that is not the card's is refused 59 as a security event, before the
/// PIN (no try counted), moving and storing nothing.
/// </summary>
public abstract partial class LedgerContractTests
{
    /// <summary>What demo card 4761739001010119's genuine track 2 says: expiry 2812, service code 101, its CVV verified.</summary>
    private static readonly Track2Evidence GenuineTrack = new(PanMatches: true, CvvVerified: true, Expiry: 2812, ServiceCode: 101);

    [StorageFact]
    public async Task Genuine_track_2_is_approved_like_a_request_without_one()
    {
        var withdrawal = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000) with { Track2 = GenuineTrack });
        var inquiry = await ExecuteAsync(Context.BalanceInquiry(DemoCards.Active, DemoCards.ActivePin) with { Track2 = GenuineTrack });

        Assert.Equal(ResponseCodes.Approved, withdrawal.ResponseCode);
        Assert.Null(withdrawal.SecurityEvent);
        Assert.Equal(ResponseCodes.Approved, inquiry.ResponseCode);
        Assert.Equal(98_000, (await BalanceOfAsync(DemoCards.Active)).LedgerBalance);
    }

    [StorageFact]
    public Task Track_2_of_another_PAN_than_DE_2_is_refused_59_before_the_PIN() =>
        AssertCounterfeitRefusedAsync(CardChecksReasons.PanMismatch, GenuineTrack with { PanMatches = false });

    [StorageFact]
    public Task Track_2_with_another_expiry_is_refused_59_before_the_PIN() =>
        AssertCounterfeitRefusedAsync(CardChecksReasons.Mismatch, GenuineTrack with { Expiry = 2912 });

    [StorageFact]
    public Task Track_2_with_another_service_code_is_refused_59_before_the_PIN() =>
        AssertCounterfeitRefusedAsync(CardChecksReasons.Mismatch, GenuineTrack with { ServiceCode = 201 });

    [StorageFact]
    public Task Track_2_whose_CVV_does_not_verify_is_refused_59_before_the_PIN() =>
        AssertCounterfeitRefusedAsync(CardChecksReasons.Cvv, GenuineTrack with { CvvVerified = false });

    /// <summary>Refused 59 as a security event, with a wrong PIN that counts no try, moving and storing nothing.</summary>
    private async Task AssertCounterfeitRefusedAsync(string reason, Track2Evidence counterfeit)
    {
        var key = Context.NextKey();

        // With a wrong PIN too: the track is refused before it, so no try is counted against the genuine cardholder.
        var refused = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, "0000", 2_000, key) with { Track2 = counterfeit });
        var inquiry = await ExecuteAsync(Context.BalanceInquiry(DemoCards.Active, DemoCards.ActivePin) with { Track2 = counterfeit });

        Assert.Equal(ResponseCodes.SuspectedFraud, refused.ResponseCode);
        Assert.Equal(reason, refused.SecurityEvent);
        Assert.Null(refused.RetrievalReference);
        Assert.Null(refused.AuthorizationId);
        Assert.Null(refused.LedgerBalance);
        Assert.Equal(ResponseCodes.SuspectedFraud, inquiry.ResponseCode);
        Assert.Null(inquiry.LedgerBalance);
        var card = await BalanceOfAsync(DemoCards.Active);
        Assert.Equal(100_000, card.LedgerBalance);
        Assert.Equal(0, card.PinTries);
        Assert.Equal(0, card.WithdrawalsToday);
        var journal = await Admin.ListJournalForCardAsync(DemoCards.Active, 10, CancellationToken.None);
        Assert.Equal(2, journal.Count(entry => entry.Disposition == JournalDisposition.Counterfeit && entry.ResponseCode == ResponseCodes.SuspectedFraud));

        // Nothing was stored under the key: the genuine card's request with it is decided as new.
        var genuine = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key) with { Track2 = GenuineTrack });
        Assert.Equal(ResponseCodes.Approved, genuine.ResponseCode);
        Assert.True((await Admin.VerifyInvariantsAsync(CancellationToken.None)).Holds);
    }

    [StorageFact]
    public async Task Counterfeit_track_2_of_a_blocked_card_is_refused_59_not_75()
    {
        for (var wrong = 0; wrong < 3; wrong++)
        {
            await ExecuteAsync(Context.Withdrawal(DemoCards.Active, "0000", 1_000));
        }

        var counterfeit = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 1_000) with { Track2 = GenuineTrack with { CvvVerified = false } });
        var genuine = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 1_000) with { Track2 = GenuineTrack });

        Assert.Equal(ResponseCodes.SuspectedFraud, counterfeit.ResponseCode);
        Assert.Equal(ResponseCodes.PinTriesExceeded, genuine.ResponseCode);
    }

    [StorageFact]
    public async Task Track_2_of_a_card_not_on_file_is_answered_14()
    {
        var unknown = await ExecuteAsync(Context.Withdrawal("4761739001010184", "1234", 1_000) with { Track2 = GenuineTrack });

        Assert.Equal(ResponseCodes.InvalidCardNumber, unknown.ResponseCode);
        Assert.Null(unknown.SecurityEvent);
    }

    [StorageFact]
    public async Task A_card_issued_with_service_code_201_takes_a_track_with_201_and_refuses_one_with_101()
    {
        await Admin.AddCardsAsync([new CardRegistration { Pan = "4000001234567899", Pin = "9999", Expiry = "3012", OpeningBalance = 10_000, ServiceCode = "201" }], CancellationToken.None);
        var chip = new Track2Evidence(PanMatches: true, CvvVerified: true, Expiry: 3012, ServiceCode: 201);

        var approved = await ExecuteAsync(Context.Withdrawal("4000001234567899", "9999", 1_000) with { Track2 = chip });
        var refused = await ExecuteAsync(Context.Withdrawal("4000001234567899", "9999", 1_000) with { Track2 = chip with { ServiceCode = 101 } });

        Assert.Equal(ResponseCodes.Approved, approved.ResponseCode);
        Assert.Equal(ResponseCodes.SuspectedFraud, refused.ResponseCode);
        Assert.Equal(CardChecksReasons.Mismatch, refused.SecurityEvent);
    }

    [StorageFact]
    public async Task A_card_service_code_must_be_three_digits()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Admin.AddCardsAsync(
            [new CardRegistration { Pan = "4000001234567899", Pin = "9999", Expiry = "3012", ServiceCode = "20" }], CancellationToken.None));
    }

    [StorageFact]
    public async Task The_seeded_ledger_holds_the_demo_CVK_and_an_imported_one_replaces_it_durably()
    {
        Assert.Equal(DemoKeys.CardVerificationKey, (await Ledger.GetCardVerificationKeyAsync(CancellationToken.None)).Key);
        var imported = Convert.FromHexString("0123456789ABCDEFFEDCBA9876543210");

        await Admin.ImportCardVerificationKeyAsync(imported, CancellationToken.None);

        Assert.Equal(imported, (await Ledger.GetCardVerificationKeyAsync(CancellationToken.None)).Key);
        await Ledger.DisposeAsync();
        _ledger = await OpenLedgerAsync(Context);
        Assert.Equal(imported, (await Ledger.GetCardVerificationKeyAsync(CancellationToken.None)).Key);
        Assert.False((await Admin.FindDemoDataAsync(CancellationToken.None)).CardVerificationKey);
        await Assert.ThrowsAsync<ArgumentException>(() => Admin.ImportCardVerificationKeyAsync(new byte[8], CancellationToken.None));
    }

    /// <summary>The reasons of <c>socketatm.security.events</c> the card checks give, as the metric and the docs name them.</summary>
    private static class CardChecksReasons
    {
        public const string PanMismatch = "track2_pan_mismatch";
        public const string Mismatch = "track2_mismatch";
        public const string Cvv = "cvv";
    }
}
