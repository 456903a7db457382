using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Acquiring;
using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Tests.Ledger.PostgreSql;

namespace SocketAtm.Server.Tests.Ledger.Contract;

/// <summary>
/// The acquirer's ledger (<see cref="IAcquirerLedger"/>): a card not on file with a forwarding intent is journaled and stored
/// as pending and forwarded; its answer or give-up is recorded once; repeats wait or replay; a terminal's reversal of a
/// forwarded original owes exactly one reversal upstream; the book nets approvals against reversals; no account moves.
/// </summary>
public abstract partial class LedgerContractTests
{
    private const string Route = "demo-issuer";
    private const string OtherIssuersCard = "5413330000000019";

    private int _acquirerStan;

    private IAcquirerLedger Acquirer => (IAcquirerLedger)Ledger;

    private LedgerRequest ForwardableWithdrawal(long amount, RequestKey? key = null, int mti = 200, string pan = OtherIssuersCard) =>
        Context.Withdrawal(pan, "1234", amount, key, mti) with { Upstream = new ForwardingIntent(Route, ++_acquirerStan, "0315100000") };

    private async Task<(RequestKey Key, LedgerOutcome Outcome)> ForwardAsync(long amount)
    {
        var key = Context.NextKey();
        var outcome = await ExecuteAsync(ForwardableWithdrawal(amount, key));
        Assert.Equal(ForwardingStatus.Forward, outcome.Forwarding);
        return (key, outcome);
    }

    private Task<LedgerOutcome> ApproveAsync(RequestKey key, string authorizationId = "A1B2C3") =>
        Acquirer.RecordIssuerAnswerAsync(key, new IssuerAnswer(ResponseCodes.Approved, authorizationId, LedgerBalance: 50_000, AvailableBalance: 45_000), CancellationToken.None);

    private Task<IReadOnlyList<OwedMessage>> OwedAsync() => Acquirer.ListOwedMessagesAsync(Route, 100, CancellationToken.None);

    private async Task AssertInvariantsHoldAsync() => Assert.True((await Admin.VerifyInvariantsAsync(CancellationToken.None)).Holds);

    [StorageFact]
    public async Task A_card_on_file_is_decided_on_us_whatever_intent_it_carries_and_one_not_on_file_without_an_intent_is_14()
    {
        var onUs = await ExecuteAsync(ForwardableWithdrawal(2_000, pan: DemoCards.Active) with { CandidatePvv = Context.PvvOf(DemoCards.Active, DemoCards.ActivePin) });
        var noRoute = await ExecuteAsync(Context.Withdrawal(OtherIssuersCard, "1234", 2_000));

        Assert.Equal((ResponseCodes.Approved, ForwardingStatus.None), (onUs.ResponseCode, onUs.Forwarding));
        Assert.Equal((ResponseCodes.InvalidCardNumber, ForwardingStatus.None), (noRoute.ResponseCode, noRoute.Forwarding));
        Assert.Equal(98_000, (await BalanceOfAsync(DemoCards.Active)).LedgerBalance);
        Assert.Empty(await Acquirer.ListAcquirerBookAsync(null, CancellationToken.None));
    }

    [StorageFact]
    public async Task A_forwarded_request_is_journaled_and_pending_a_duplicate_is_94_and_a_repeat_waits()
    {
        var (key, forwarded) = await ForwardAsync(2_000);

        var duplicate = await ExecuteAsync(ForwardableWithdrawal(2_000, key));
        var repeat = await ExecuteAsync(ForwardableWithdrawal(2_000, key, mti: 201));
        var stored = await Acquirer.FindForwardAsync(key, CancellationToken.None);

        Assert.Equal(ResponseCodes.IssuerUnavailable, forwarded.ResponseCode);
        Assert.Matches("^[0-9]{12}$", forwarded.RetrievalReference);
        Assert.Equal((ResponseCodes.DuplicateTransmission, ForwardingStatus.None), (duplicate.ResponseCode, duplicate.Forwarding));
        Assert.Equal(ForwardingStatus.Wait, repeat.Forwarding);
        Assert.Equal((ForwardState.Pending, Route, 1, "0315100000"), (stored!.State, stored.Route, stored.AcquirerStan, stored.AcquirerTransmission));
        Assert.Equal(forwarded.RetrievalReference, stored.Outcome.RetrievalReference);
        var journal = await Admin.ListJournalForTerminalAsync(LedgerTestContext.Terminal, 10, CancellationToken.None);
        Assert.Equal(
            [JournalDisposition.Forwarded, JournalDisposition.Duplicate, JournalDisposition.Replay],
            journal.Reverse().Select(entry => entry.Disposition));
        Assert.DoesNotContain(journal, entry => entry.MaskedPan.Contains(OtherIssuersCard, StringComparison.Ordinal));
        await AssertInvariantsHoldAsync();
    }

    [StorageFact]
    public async Task An_answer_is_recorded_once_repeats_replay_it_and_a_later_answer_or_give_up_changes_nothing()
    {
        var (key, forwarded) = await ForwardAsync(3_000);

        var answered = await ApproveAsync(key);
        var repeat = await ExecuteAsync(ForwardableWithdrawal(3_000, key, mti: 201));
        var second = await Acquirer.RecordIssuerAnswerAsync(key, new IssuerAnswer(ResponseCodes.InsufficientFunds, null), CancellationToken.None);
        var giveUp = await Acquirer.GiveUpAsync(key, CancellationToken.None);

        Assert.Equal((ResponseCodes.Approved, "A1B2C3", forwarded.RetrievalReference, 50_000L, 45_000L, false),
            (answered.ResponseCode, answered.AuthorizationId, answered.RetrievalReference, answered.LedgerBalance, answered.AvailableBalance, answered.IsReplay));
        Assert.Equal(answered with { IsReplay = true }, repeat);
        Assert.Equal(answered with { IsReplay = true }, second);
        Assert.Equal(answered with { IsReplay = true }, giveUp);
        Assert.Equal(ForwardState.Answered, (await Acquirer.FindForwardAsync(key, CancellationToken.None))!.State);
        Assert.Empty(await OwedAsync());
        Assert.Equal([new AcquirerBookEntry(Route, forwarded.RetrievalReference!, 3_000)], await Acquirer.ListAcquirerBookAsync(Route, CancellationToken.None));
        Assert.Empty(await Acquirer.ListAcquirerBookAsync("another-route", CancellationToken.None));
        Assert.Equal(ResponseCodes.UnableToLocateOriginal, (await ApproveAsync(Context.NextKey())).ResponseCode);
        await AssertInvariantsHoldAsync();
    }

    [StorageFact]
    public async Task A_give_up_stores_91_and_owes_one_68_reversal_with_the_pan_until_the_issuer_acknowledges_it()
    {
        var (key, forwarded) = await ForwardAsync(4_000);

        var givenUp = await Acquirer.GiveUpAsync(key, CancellationToken.None);
        var repeat = await ExecuteAsync(ForwardableWithdrawal(4_000, key, mti: 201));
        var lateApproval = await ApproveAsync(key);
        var owed = await OwedAsync();
        var refused = await Acquirer.AcknowledgeReversalAsync(key, ResponseCodes.SystemMalfunction, CancellationToken.None);
        var stillOwed = await OwedAsync();
        var acknowledged = await Acquirer.AcknowledgeReversalAsync(key, ResponseCodes.Approved, CancellationToken.None);
        var again = await Acquirer.AcknowledgeReversalAsync(key, ResponseCodes.Approved, CancellationToken.None);

        Assert.Equal((ResponseCodes.IssuerUnavailable, false), (givenUp.ResponseCode, givenUp.IsReplay));
        Assert.Equal((ResponseCodes.IssuerUnavailable, true, ForwardingStatus.None), (repeat.ResponseCode, repeat.IsReplay, repeat.Forwarding));
        Assert.Equal((ResponseCodes.IssuerUnavailable, true), (lateApproval.ResponseCode, lateApproval.IsReplay));
        var reversal = Assert.Single(owed);
        Assert.Equal(
            (key, OtherIssuersCard, 4_000L, ResponseCodes.ResponseReceivedTooLate, (long?)null, forwarded.RetrievalReference, 200, TransactionKind.Withdrawal),
            (reversal.OriginalKey, reversal.Pan, reversal.Amount, reversal.Reason, reversal.DispensedAmount, reversal.RetrievalReference, reversal.OriginalMti, reversal.Kind));
        Assert.DoesNotContain(OtherIssuersCard, reversal.ToString(), StringComparison.Ordinal);
        Assert.True(refused.IsReplay);
        Assert.Single(stillOwed);
        Assert.False(acknowledged.IsReplay);
        Assert.True(again.IsReplay);
        Assert.Empty(await OwedAsync());
        Assert.Empty(await Acquirer.ListAcquirerBookAsync(null, CancellationToken.None)); // never approved: nothing owed either way
        await AssertInvariantsHoldAsync();
    }

    [StorageFact]
    public async Task A_balance_inquiry_given_up_stores_91_and_owes_no_reversal()
    {
        var inquiry = Context.BalanceInquiry(OtherIssuersCard, "1234") with { Upstream = new ForwardingIntent(Route, ++_acquirerStan, "0315100000") };
        var forwarded = await ExecuteAsync(inquiry);

        var givenUp = await Acquirer.GiveUpAsync(inquiry.Key, CancellationToken.None);

        Assert.Equal(ForwardingStatus.Forward, forwarded.Forwarding);
        Assert.Equal((ResponseCodes.IssuerUnavailable, false), (givenUp.ResponseCode, givenUp.IsReplay));
        Assert.Empty(await OwedAsync());
        await AssertInvariantsHoldAsync();
    }

    [StorageFact]
    public async Task The_terminals_reversal_of_a_forwarded_approval_owes_one_17_reversal_and_the_book_nets_it()
    {
        var (fullKey, full) = await ForwardAsync(5_000);
        var (partialKey, partial) = await ForwardAsync(6_000);
        await ApproveAsync(fullKey);
        await ApproveAsync(partialKey);
        var reversalKey = Context.NextKey();

        var reversed = await ExecuteAsync(Context.Reversal(fullKey, 5_000, key: reversalKey, pan: OtherIssuersCard));
        var repeated = await ExecuteAsync(Context.Reversal(fullKey, 5_000, key: reversalKey, mti: 401, pan: OtherIssuersCard));
        var secondReversal = await ExecuteAsync(Context.Reversal(fullKey, 5_000, pan: OtherIssuersCard));
        var partlyReversed = await ExecuteAsync(Context.Reversal(partialKey, 6_000, dispensed: 2_500, pan: OtherIssuersCard));
        var forged = await ExecuteAsync(Context.Reversal(partialKey, 6_000, pan: DemoCards.Active));

        Assert.Equal([ResponseCodes.Approved, ResponseCodes.Approved, ResponseCodes.Approved, ResponseCodes.UnableToLocateOriginal],
            new[] { reversed, secondReversal, partlyReversed, forged }.Select(outcome => outcome.ResponseCode));
        Assert.Equal(reversed with { IsReplay = true }, repeated);
        var owed = await OwedAsync();
        Assert.Equal(
            [(fullKey, ResponseCodes.CustomerCancellation, (long?)null, OtherIssuersCard), (partialKey, ResponseCodes.CustomerCancellation, 2_500L, OtherIssuersCard)],
            owed.Select(reversal => (reversal.OriginalKey, reversal.Reason, reversal.DispensedAmount, reversal.Pan)).OrderBy(item => item.OriginalKey.Stan));
        var book = await Acquirer.ListAcquirerBookAsync(Route, CancellationToken.None);
        Assert.Equal(
            new[] { new AcquirerBookEntry(Route, full.RetrievalReference!, 0), new AcquirerBookEntry(Route, partial.RetrievalReference!, 2_500) }.OrderBy(line => line.RetrievalReference, StringComparer.Ordinal),
            book);
        Assert.Equal(100_000, (await BalanceOfAsync(DemoCards.Active)).LedgerBalance);
        await AssertInvariantsHoldAsync();
    }

    [StorageFact]
    public async Task The_terminals_reversal_of_a_given_up_or_declined_original_is_00_and_owes_nothing_more()
    {
        var (givenUpKey, _) = await ForwardAsync(1_000);
        var (declinedKey, _) = await ForwardAsync(1_000);
        await Acquirer.GiveUpAsync(givenUpKey, CancellationToken.None);
        await Acquirer.RecordIssuerAnswerAsync(declinedKey, new IssuerAnswer(ResponseCodes.InsufficientFunds, null), CancellationToken.None);

        var ofGivenUp = await ExecuteAsync(Context.Reversal(givenUpKey, 1_000, pan: OtherIssuersCard));
        var ofDeclined = await ExecuteAsync(Context.Reversal(declinedKey, 1_000, pan: OtherIssuersCard));

        Assert.Equal([ResponseCodes.Approved, ResponseCodes.Approved], new[] { ofGivenUp, ofDeclined }.Select(outcome => outcome.ResponseCode));
        var owed = Assert.Single(await OwedAsync());
        Assert.Equal((givenUpKey, ResponseCodes.ResponseReceivedTooLate), (owed.OriginalKey, owed.Reason));
        await AssertInvariantsHoldAsync();
    }

    [StorageFact]
    public async Task A_reversal_of_a_pending_original_is_00_and_its_answer_decides_the_one_reversal_owed()
    {
        var (approvedKey, approved) = await ForwardAsync(2_000);
        var (givenUpKey, _) = await ForwardAsync(3_000);

        var ofApproved = await ExecuteAsync(Context.Reversal(approvedKey, 2_000, pan: OtherIssuersCard));
        var ofGivenUp = await ExecuteAsync(Context.Reversal(givenUpKey, 3_000, pan: OtherIssuersCard));
        var nothingOwedYet = await OwedAsync();
        await ApproveAsync(approvedKey);
        await Acquirer.GiveUpAsync(givenUpKey, CancellationToken.None);

        Assert.Equal([ResponseCodes.Approved, ResponseCodes.Approved], new[] { ofApproved, ofGivenUp }.Select(outcome => outcome.ResponseCode));
        Assert.Empty(nothingOwedYet);
        Assert.Equal(
            [(approvedKey, ResponseCodes.CustomerCancellation, OtherIssuersCard), (givenUpKey, ResponseCodes.ResponseReceivedTooLate, OtherIssuersCard)],
            (await OwedAsync()).Select(reversal => (reversal.OriginalKey, reversal.Reason, reversal.Pan)).OrderBy(item => item.OriginalKey.Stan));
        Assert.Equal([new AcquirerBookEntry(Route, approved.RetrievalReference!, 0)], await Acquirer.ListAcquirerBookAsync(null, CancellationToken.None));
        await AssertInvariantsHoldAsync();
    }

    [StorageFact]
    public async Task Pending_forwards_are_listed_by_age_and_pending_or_owing_records_outlive_the_retention_across_a_restart()
    {
        var (oldKey, _) = await ForwardAsync(1_000);
        var (owingKey, _) = await ForwardAsync(1_000);
        var (answeredKey, _) = await ForwardAsync(1_000);
        await Acquirer.GiveUpAsync(owingKey, CancellationToken.None);
        await Acquirer.RecordIssuerAnswerAsync(answeredKey, new IssuerAnswer(ResponseCodes.InsufficientFunds, null), CancellationToken.None);
        Context.Time.Advance(TimeSpan.FromMinutes(1));
        var (youngKey, _) = await ForwardAsync(1_000);

        var older = await Acquirer.ListPendingForwardsAsync(Context.Time.GetUtcNow() - TimeSpan.FromSeconds(30), 10, CancellationToken.None);
        Context.Time.Advance(TimeSpan.FromDays(8));
        await Queued.PruneExpiredRepeatsAsync(CancellationToken.None);
        await Ledger.DisposeAsync();
        _ledger = await OpenLedgerAsync(Context);

        Assert.Equal([oldKey], older.Select(forward => forward.Key));
        Assert.NotNull(await Acquirer.FindForwardAsync(oldKey, CancellationToken.None));
        Assert.NotNull(await Acquirer.FindForwardAsync(youngKey, CancellationToken.None));
        Assert.Equal(owingKey, Assert.Single(await OwedAsync()).OriginalKey);
        Assert.Null(await Acquirer.FindForwardAsync(answeredKey, CancellationToken.None)); // answered, nothing owed: pruned like any answer
        Assert.Equal(ResponseCodes.Approved, (await ApproveAsync(oldKey)).ResponseCode);
        Assert.Equal([youngKey], (await Acquirer.ListPendingForwardsAsync(Context.Time.GetUtcNow(), 10, CancellationToken.None)).Select(forward => forward.Key));
        await AssertInvariantsHoldAsync();
    }
}
