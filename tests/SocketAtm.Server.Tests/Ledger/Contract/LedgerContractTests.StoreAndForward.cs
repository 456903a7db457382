using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Acquiring;
using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Tests.Ledger.PostgreSql;

namespace SocketAtm.Server.Tests.Ledger.Contract;

/// <summary>
/// The store-and-forward queue (PROTOCOL.md §15.6) on both stores: an owed reversal is queued with the decision that owes
/// it; a claim counts the try durably and holds it for its lease; a result acknowledges, retries after its backoff, or
/// keeps a refusal as an exception an operator can retry; of one card only the oldest is delivered at a time.
/// </summary>
public abstract partial class LedgerContractTests
{
    private const string HostA = "host-a";
    private const string HostB = "host-b";
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(20);

    private async Task<RequestKey> GivenUpAsync(long amount = 2_000, string pan = OtherIssuersCard)
    {
        var key = Context.NextKey();
        Assert.Equal(ForwardingStatus.Forward, (await ExecuteAsync(ForwardableWithdrawal(amount, key, pan: pan))).Forwarding);
        await Acquirer.GiveUpAsync(key, CancellationToken.None);
        return key;
    }

    private Task<IReadOnlyList<OwedMessage>> ClaimAsync(string claimant, int limit = 10) =>
        Acquirer.ClaimSafAsync(Route, claimant, Context.Time.GetUtcNow() + Lease, limit, CancellationToken.None);

    private Task<LedgerOutcome> ResultAsync(RequestKey key, string claimant, string? responseCode, bool sent = true, TimeSpan? retryIn = null) =>
        Acquirer.RecordSafResultAsync(
            key,
            new SafAttemptResult(claimant, responseCode, sent, (Context.Time.GetUtcNow() + (retryIn ?? TimeSpan.FromSeconds(5))).ToUnixTimeMilliseconds(), "test"),
            CancellationToken.None);

    private async Task<OwedMessage> SafEntryAsync(RequestKey key) =>
        Assert.Single(await Acquirer.ListSafAsync(Route, 100, CancellationToken.None), entry => entry.OriginalKey == key);

    [StorageFact]
    public async Task An_owed_reversal_is_queued_untried_and_a_claim_counts_the_try_and_holds_it_from_another_host_until_the_lease_ends()
    {
        var key = await GivenUpAsync();
        var queued = await SafEntryAsync(key);

        var claimed = Assert.Single(await ClaimAsync(HostA));
        var whileHeld = await ClaimAsync(HostB);
        var sameHostAgain = await ClaimAsync(HostA);
        Context.Time.Advance(Lease + TimeSpan.FromSeconds(1));
        var takenOver = Assert.Single(await ClaimAsync(HostB));

        Assert.Equal((SafState.Queued, 0, false), (queued.State, queued.Saf.Attempts, queued.IsRepeat));
        Assert.Equal((key, 1, HostA, OtherIssuersCard), (claimed.OriginalKey, claimed.Saf.Attempts, claimed.Saf.ClaimedBy, claimed.Pan));
        Assert.Empty(whileHeld);
        Assert.Empty(sameHostAgain);
        Assert.Equal((2, HostB), (takenOver.Saf.Attempts, takenOver.Saf.ClaimedBy));
        Assert.Equal((2, HostB), ((await SafEntryAsync(key)).Saf.Attempts, (await SafEntryAsync(key)).Saf.ClaimedBy));
    }

    [StorageFact]
    public async Task No_answer_or_91_retries_after_the_backoff_and_a_try_that_never_left_the_host_is_not_counted()
    {
        var key = await GivenUpAsync();
        Assert.Single(await ClaimAsync(HostA));
        await ResultAsync(key, HostA, ResponseCodes.IssuerUnavailable, retryIn: TimeSpan.FromSeconds(4));

        var inBackoff = await ClaimAsync(HostB);
        Context.Time.Advance(TimeSpan.FromSeconds(4));
        Assert.Single(await ClaimAsync(HostB));
        await ResultAsync(key, HostB, responseCode: null, sent: false, retryIn: TimeSpan.Zero);
        var afterNotSent = await SafEntryAsync(key);
        Assert.Single(await ClaimAsync(HostA));
        await ResultAsync(key, HostA, responseCode: null);

        Assert.Empty(inBackoff);
        Assert.Equal((1, null, SafState.Queued), (afterNotSent.Saf.Attempts, afterNotSent.Saf.ClaimedBy, afterNotSent.State));
        Assert.Equal((2, SafState.Queued, "test"), ((await SafEntryAsync(key)).Saf.Attempts, (await SafEntryAsync(key)).State, (await SafEntryAsync(key)).Saf.LastResult));
        Assert.DoesNotContain(await JournalOfAsync(key), entry => entry.Disposition is JournalDisposition.ReversalAcknowledged or JournalDisposition.DeliveryRefused);
    }

    [StorageFact]
    public async Task An_acknowledgement_delivers_it_once_journaled_even_from_a_host_whose_claim_was_taken_over()
    {
        var key = await GivenUpAsync();
        Assert.Single(await ClaimAsync(HostA));
        Context.Time.Advance(Lease + TimeSpan.FromSeconds(1));
        Assert.Single(await ClaimAsync(HostB));

        var acknowledged = await ResultAsync(key, HostA, ResponseCodes.Approved);
        var again = await ResultAsync(key, HostB, ResponseCodes.Approved);

        Assert.False(acknowledged.IsReplay);
        Assert.True(again.IsReplay);
        Assert.Empty(await Acquirer.ListSafAsync(null, 100, CancellationToken.None));
        Assert.Single(await JournalOfAsync(key), entry => entry.Disposition == JournalDisposition.ReversalAcknowledged);
        await AssertInvariantsHoldAsync();
    }

    [StorageFact]
    public async Task A_stale_claimants_retry_does_not_release_the_new_claim()
    {
        var key = await GivenUpAsync();
        Assert.Single(await ClaimAsync(HostA));
        Context.Time.Advance(Lease + TimeSpan.FromSeconds(1));
        Assert.Single(await ClaimAsync(HostB));

        var stale = await ResultAsync(key, HostA, ResponseCodes.IssuerUnavailable, retryIn: TimeSpan.Zero);

        Assert.True(stale.IsReplay);
        Assert.Equal(HostB, (await SafEntryAsync(key)).Saf.ClaimedBy);
        Assert.Empty(await ClaimAsync(HostA));
    }

    [StorageFact]
    public async Task A_refusal_is_kept_as_a_journaled_exception_not_claimed_until_an_operator_retries_it()
    {
        var key = await GivenUpAsync();
        Assert.Single(await ClaimAsync(HostA));
        await ResultAsync(key, HostA, ResponseCodes.InvalidTransaction);
        Context.Time.Advance(TimeSpan.FromHours(1));

        var exception = await SafEntryAsync(key);
        var claimedWhileException = await ClaimAsync(HostA);
        var owedList = await OwedAsync();
        var retried = await Acquirer.RetrySafAsync(key, CancellationToken.None);
        var retriedAgain = await Acquirer.RetrySafAsync(key, CancellationToken.None);
        var claimedAfterRetry = Assert.Single(await ClaimAsync(HostA));

        Assert.Equal((SafState.Exception, ResponseCodes.InvalidTransaction), (exception.State, exception.Saf.RefusedWith));
        Assert.Empty(claimedWhileException);
        Assert.Empty(owedList);
        Assert.Equal((false, true), (retried.IsReplay, retriedAgain.IsReplay));
        Assert.Equal((2, true), (claimedAfterRetry.Saf.Attempts, claimedAfterRetry.IsRepeat));
        Assert.Single(await JournalOfAsync(key), entry => entry.Disposition == JournalDisposition.DeliveryRefused && entry.ResponseCode == ResponseCodes.InvalidTransaction);
        await AssertInvariantsHoldAsync();
    }

    [StorageFact]
    public async Task Of_one_card_only_the_oldest_owed_message_is_claimed_while_another_cards_goes_too()
    {
        var first = await GivenUpAsync(1_000);
        Context.Time.Advance(TimeSpan.FromMilliseconds(10));
        var second = await GivenUpAsync(2_000);
        Context.Time.Advance(TimeSpan.FromMilliseconds(10));
        var otherCard = await GivenUpAsync(3_000, pan: "5413330000000027");

        var round1 = await ClaimAsync(HostA);
        await ResultAsync(first, HostA, ResponseCodes.Approved);
        await ResultAsync(otherCard, HostA, ResponseCodes.Approved);
        var round2 = await ClaimAsync(HostA);

        Assert.Equal([first, otherCard], round1.Select(entry => entry.OriginalKey).OrderBy(key => key.Stan));
        Assert.Equal(second, Assert.Single(round2).OriginalKey);
    }

    [StorageFact]
    public async Task The_summary_counts_queued_exceptions_and_expired_and_the_rrn_finds_an_entry()
    {
        var refused = await GivenUpAsync(1_000);
        Assert.Single(await ClaimAsync(HostA));
        await ResultAsync(refused, HostA, ResponseCodes.FormatError);
        var owedAt = Context.Time.GetUtcNow();
        Context.Time.Advance(TimeSpan.FromHours(2));
        var queued = await GivenUpAsync(2_000, pan: "5413330000000027");

        var summary = await Acquirer.SummarizeSafAsync(Route, Context.Time.GetUtcNow() - TimeSpan.FromHours(1), CancellationToken.None);
        var rrn = (await SafEntryAsync(queued)).RetrievalReference;
        var found = await Acquirer.FindSafAsync(rrn, CancellationToken.None);

        Assert.Equal(new SafRouteSummary(1, 1, 1, owedAt), summary with { OldestOwedAt = summary.OldestOwedAt?.ToUniversalTime() });
        Assert.Equal((queued, string.Empty), (found?.OriginalKey, found?.Pan));
        Assert.Null(await Acquirer.FindSafAsync("999999999999", CancellationToken.None));
        Assert.Equal(SafRouteSummary.Empty, await Acquirer.SummarizeSafAsync("no-such-route", Context.Time.GetUtcNow(), CancellationToken.None));
    }

    private async Task<IReadOnlyList<JournalRecord>> JournalOfAsync(RequestKey key) =>
        [.. (await Admin.ListJournalForTerminalAsync(key.TerminalId, 1_000, CancellationToken.None)).Where(entry => entry.Key == key.ToString())];
}
