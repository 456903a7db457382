using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Acquiring;
using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Security;
using SocketAtm.Server.Tests.Ledger.PostgreSql;

namespace SocketAtm.Server.Tests.Ledger.Contract;

/// <summary>
/// Stand-in on both stores (PROTOCOL.md §15.10, §15.18): a pending forwarded request decided by the acquirer within the
/// issuer's limits — an approval journaled as such, counted on the card's usage for the day, in the book, and owing
/// exactly one advice in the same commit; its advice goes before any reversal of it; the issuer's 0230 is recorded,
/// a card decision as a reconciliation exception.
/// </summary>
public abstract partial class LedgerContractTests
{
    private static StandInTerms Terms(StandInPinResult pin = StandInPinResult.Verified, long max = 5_000, long daily = 8_000, int count = 3) =>
        new(Route, max, daily, count, pin);

    private async Task<(RequestKey Key, LedgerOutcome Outcome)> StandInAsync(long amount, StandInTerms? terms = null, string pan = OtherIssuersCard)
    {
        var key = Context.NextKey();
        Assert.Equal(ForwardingStatus.Forward, (await ExecuteAsync(ForwardableWithdrawal(amount, key, pan: pan))).Forwarding);
        return (key, await Acquirer.StandInAsync(key, terms ?? Terms(), pan, CancellationToken.None));
    }

    [StorageFact]
    public async Task A_stand_in_approval_is_journaled_in_the_book_and_owes_exactly_one_advice_and_a_repeat_replays_it()
    {
        var (key, approved) = await StandInAsync(2_000);
        var again = await Acquirer.StandInAsync(key, Terms(), OtherIssuersCard, CancellationToken.None);
        var repeat = await ExecuteAsync(ForwardableWithdrawal(2_000, key, mti: 201));

        var advice = Assert.Single(await Acquirer.ListSafAsync(Route, 10, CancellationToken.None));
        Assert.Equal(ResponseCodes.Approved, approved.ResponseCode);
        Assert.False(string.IsNullOrEmpty(approved.AuthorizationId));
        Assert.True(again.IsReplay);
        Assert.Equal(approved with { IsReplay = true }, repeat with { Forwarding = ForwardingStatus.None });
        Assert.Equal((SafMessage.Advice, key, approved.AuthorizationId, ResponseCodes.Approved), (advice.Message, advice.OriginalKey, advice.AuthorizationId, advice.Reason));
        Assert.Equal(ForwardState.StoodIn, (await Acquirer.FindForwardAsync(key, CancellationToken.None))!.State);
        Assert.Equal(2_000, Assert.Single(await Acquirer.ListAcquirerBookAsync(Route, CancellationToken.None)).NetAmount);
        Assert.Single(await JournalOfAsync(key), entry => entry.Disposition == JournalDisposition.StoodIn && entry.ResponseCode == ResponseCodes.Approved);
        Assert.Equal(OtherIssuersCard, Assert.Single(await ClaimAsync(HostA)).Pan);
        await AssertInvariantsHoldAsync();
    }

    [StorageFact]
    public async Task Stand_in_declines_beyond_the_limits_and_without_a_verified_pin_owe_nothing()
    {
        var overMax = await StandInAsync(5_001);
        var wrongPin = await StandInAsync(1_000, Terms(StandInPinResult.WrongPin));
        var unverifiable = await StandInAsync(1_000, Terms(StandInPinResult.Unverifiable));
        var first = await StandInAsync(5_000);
        var overDaily = await StandInAsync(3_001);
        var withinDaily = await StandInAsync(3_000);
        var otherCard = await StandInAsync(5_000, pan: "5413330000000027");

        Assert.Equal(
            [ResponseCodes.ExceedsAmountLimit, ResponseCodes.IncorrectPin, ResponseCodes.IssuerUnavailable, ResponseCodes.Approved, ResponseCodes.ExceedsAmountLimit, ResponseCodes.Approved, ResponseCodes.Approved],
            new[] { overMax, wrongPin, unverifiable, first, overDaily, withinDaily, otherCard }.Select(result => result.Outcome.ResponseCode));
        Assert.Equal(
            [first.Key, withinDaily.Key, otherCard.Key],
            (await Acquirer.ListSafAsync(Route, 10, CancellationToken.None)).Select(entry => entry.OriginalKey).OrderBy(key => key.Stan));
        Assert.Equal(3, (await Acquirer.ListAcquirerBookAsync(Route, CancellationToken.None)).Count);
    }

    [StorageFact]
    public async Task The_daily_count_is_per_card_and_day_and_the_next_day_starts_again()
    {
        var terms = Terms(max: 1_000, daily: 10_000, count: 2);
        var results = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            results.Add((await StandInAsync(1_000, terms)).Outcome.ResponseCode);
        }

        Context.Time.Advance(TimeSpan.FromDays(1));
        results.Add((await StandInAsync(1_000, terms)).Outcome.ResponseCode);

        Assert.Equal([ResponseCodes.Approved, ResponseCodes.Approved, ResponseCodes.ExceedsFrequencyLimit, ResponseCodes.Approved], results);
    }

    [StorageFact]
    public async Task Stand_in_never_changes_a_request_no_longer_pending()
    {
        var (key, _) = await ForwardAsync(1_000);
        var answered = await ApproveAsync(key);

        var standIn = await Acquirer.StandInAsync(key, Terms(), OtherIssuersCard, CancellationToken.None);

        Assert.Equal(answered with { IsReplay = true }, standIn);
        Assert.Empty(await Acquirer.ListSafAsync(Route, 10, CancellationToken.None));
    }

    [StorageFact]
    public async Task A_terminal_reversal_of_a_stand_in_approval_waits_behind_its_advice_which_a_disputing_issuer_still_books()
    {
        var (key, _) = await StandInAsync(2_000);
        Assert.Equal(ResponseCodes.Approved, (await ExecuteAsync(Context.Reversal(key, 2_000, pan: OtherIssuersCard))).ResponseCode);

        var adviceFirst = Assert.Single(await ClaimAsync(HostA));
        await ResultAsync(key, HostA, ResponseCodes.InsufficientFunds);
        var reversalNext = Assert.Single(await ClaimAsync(HostA));
        await ResultAsync(key, HostA, ResponseCodes.Approved);

        Assert.Equal((SafMessage.Advice, 1), (adviceFirst.Message, adviceFirst.Saf.Attempts));
        Assert.Equal((SafMessage.Reversal, ResponseCodes.CustomerCancellation, 1, OtherIssuersCard), (reversalNext.Message, reversalNext.Reason, reversalNext.Saf.Attempts, reversalNext.Pan));
        Assert.Empty(await Acquirer.ListSafAsync(Route, 10, CancellationToken.None));
        Assert.Equal(0, Assert.Single(await Acquirer.ListAcquirerBookAsync(Route, CancellationToken.None)).NetAmount);
        Assert.Single(await JournalOfAsync(key), entry => entry.Disposition == JournalDisposition.AdviceDisputed && entry.ResponseCode == ResponseCodes.InsufficientFunds);
        Assert.Single(await JournalOfAsync(key), entry => entry.Disposition == JournalDisposition.ReversalAcknowledged);
        await AssertInvariantsHoldAsync();
    }

    [StorageFact]
    public async Task An_advice_the_issuer_refuses_is_kept_as_an_exception_and_one_it_books_leaves_the_queue()
    {
        var (refused, _) = await StandInAsync(1_000);
        var (booked, _) = await StandInAsync(1_000, pan: "5413330000000027");
        Assert.Equal(2, (await ClaimAsync(HostA)).Count);

        await ResultAsync(refused, HostA, ResponseCodes.FormatError);
        await ResultAsync(booked, HostA, ResponseCodes.Approved);

        var exception = Assert.Single(await Acquirer.ListSafAsync(Route, 10, CancellationToken.None));
        Assert.Equal((refused, SafState.Exception, SafMessage.Advice), (exception.OriginalKey, exception.State, exception.Message));
        Assert.Single(await JournalOfAsync(booked), entry => entry.Disposition == JournalDisposition.AdviceAcknowledged);
    }
}
