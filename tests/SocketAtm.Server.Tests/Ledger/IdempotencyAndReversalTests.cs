using SocketAtm.Server.Ledger;

namespace SocketAtm.Server.Tests.Ledger;

public class IdempotencyAndReversalTests
{
    [Fact]
    public async Task Repeat_returns_the_stored_answer_with_the_same_auth_id_rrn_and_balance_and_applies_nothing()
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        var key = context.NextKey();
        var original = await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key));
        await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 1_000));

        var repeat = await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key, mti: 201));

        Assert.True(repeat.IsReplay);
        Assert.Equal(original with { IsReplay = true }, repeat);
        Assert.Equal(98_000, repeat.LedgerBalance);
        Assert.Equal(97_000, (await context.BalanceOfAsync(DemoCards.Active)).LedgerBalance);
    }

    [Fact]
    public async Task Repeat_of_an_unseen_key_is_processed_as_an_original()
    {
        await using var context = await LedgerTestContext.OpenedAsync();

        var repeat = await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, mti: 201));

        Assert.Equal(ResponseCodes.Approved, repeat.ResponseCode);
        Assert.False(repeat.IsReplay);
        Assert.Equal(98_000, (await context.BalanceOfAsync(DemoCards.Active)).LedgerBalance);
    }

    [Fact]
    public async Task New_original_with_a_used_key_is_declined_with_94_and_the_balance_is_unchanged()
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        var key = context.NextKey();
        var first = await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key));

        var duplicate = await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 3_000, key));
        var repeatAfterDuplicate = await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key, mti: 201));

        Assert.Equal(ResponseCodes.DuplicateTransmission, duplicate.ResponseCode);
        Assert.Null(duplicate.AuthorizationId);
        Assert.Equal(first with { IsReplay = true }, repeatAfterDuplicate);
        Assert.Equal(98_000, (await context.BalanceOfAsync(DemoCards.Active)).LedgerBalance);
        var journal = await context.Ledger.ListJournalForTerminalAsync(LedgerTestContext.Terminal, 10, CancellationToken.None);
        Assert.Equal(["00", "94", "00"], journal.Reverse().Select(entry => entry.ResponseCode));
    }

    [Fact]
    public async Task Full_reversal_restores_the_balance_and_the_daily_amount_and_count()
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        var key = context.NextKey();
        await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 20_000, key));

        var reversal = await context.ExecuteAsync(context.Reversal(key, 20_000));

        Assert.Equal(ResponseCodes.Approved, reversal.ResponseCode);
        var card = await context.BalanceOfAsync(DemoCards.Active);
        Assert.Equal(100_000, card.LedgerBalance);
        Assert.Equal(0, card.UsedToday);
        Assert.Equal(0, card.WithdrawalsToday);
    }

    [Fact]
    public async Task Reversal_frees_the_daily_limit_for_another_withdrawal()
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        var key = context.NextKey();
        await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 50_000, key));
        var beforeReversal = await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 100));

        await context.ExecuteAsync(context.Reversal(key, 50_000));
        var afterReversal = await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 50_000));

        Assert.Equal(ResponseCodes.ExceedsAmountLimit, beforeReversal.ResponseCode);
        Assert.Equal(ResponseCodes.Approved, afterReversal.ResponseCode);
    }

    [Fact]
    public async Task Partial_reversal_restores_what_was_not_dispensed_and_keeps_the_count()
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        var key = context.NextKey();
        await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 20_000, key));

        var reversal = await context.ExecuteAsync(context.Reversal(key, 20_000, dispensed: 5_000));

        Assert.Equal(ResponseCodes.Approved, reversal.ResponseCode);
        var card = await context.BalanceOfAsync(DemoCards.Active);
        Assert.Equal(95_000, card.LedgerBalance);
        Assert.Equal(5_000, card.UsedToday);
        Assert.Equal(1, card.WithdrawalsToday);
    }

    [Fact]
    public async Task Partial_reversal_that_dispensed_everything_answers_00_and_restores_nothing()
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        var key = context.NextKey();
        await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 20_000, key));

        var reversal = await context.ExecuteAsync(context.Reversal(key, 20_000, dispensed: 20_000));

        Assert.Equal(ResponseCodes.Approved, reversal.ResponseCode);
        Assert.Equal(80_000, (await context.BalanceOfAsync(DemoCards.Active)).LedgerBalance);
    }

    [Fact]
    public async Task Repeated_reversal_gets_the_same_answer_and_restores_only_once()
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        var key = context.NextKey();
        await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 20_000, key));
        var reversalKey = context.NextKey();

        var first = await context.ExecuteAsync(context.Reversal(key, 20_000, key: reversalKey));
        var repeat = await context.ExecuteAsync(context.Reversal(key, 20_000, key: reversalKey, mti: 401));
        var advice = await context.ExecuteAsync(context.Reversal(key, 20_000, mti: 420));

        Assert.Equal(first with { IsReplay = true }, repeat);
        Assert.Equal(ResponseCodes.Approved, advice.ResponseCode);
        Assert.Equal(100_000, (await context.BalanceOfAsync(DemoCards.Active)).LedgerBalance);
        Assert.True((await context.Ledger.VerifyInvariantsAsync(CancellationToken.None)).Holds);
    }

    [Fact]
    public async Task Reversal_of_a_declined_original_answers_00_without_effect()
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        var key = context.NextKey();
        var declined = await context.ExecuteAsync(context.Withdrawal(DemoCards.Poor, DemoCards.PoorPin, 9_000, key));

        var reversal = await context.ExecuteAsync(context.Reversal(key, 9_000, pan: DemoCards.Poor));

        Assert.Equal(ResponseCodes.InsufficientFunds, declined.ResponseCode);
        Assert.Equal(ResponseCodes.Approved, reversal.ResponseCode);
        Assert.Equal(5_000, (await context.BalanceOfAsync(DemoCards.Poor)).LedgerBalance);
    }

    [Fact]
    public async Task Reversal_of_an_unknown_original_answers_25_and_the_late_original_is_declined_with_94()
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        var lateKey = context.NextKey();

        var reversal = await context.ExecuteAsync(context.Reversal(lateKey, 20_000));
        var late = await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 20_000, lateKey));
        var lateRepeat = await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 20_000, lateKey, mti: 201));

        Assert.Equal(ResponseCodes.UnableToLocateOriginal, reversal.ResponseCode);
        Assert.Equal(ResponseCodes.DuplicateTransmission, late.ResponseCode);
        Assert.Equal(ResponseCodes.DuplicateTransmission, lateRepeat.ResponseCode);
        var card = await context.BalanceOfAsync(DemoCards.Active);
        Assert.Equal(100_000, card.LedgerBalance);
        Assert.Equal(0, card.WithdrawalsToday);
    }

    [Fact]
    public async Task A_reversal_marker_survives_a_reopen_and_still_declines_the_late_original()
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        var lateKey = context.NextKey();
        Assert.Equal(ResponseCodes.UnableToLocateOriginal, (await context.ExecuteAsync(context.Reversal(lateKey, 20_000))).ResponseCode);

        await context.ReopenAsync();
        var late = await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 20_000, lateKey));
        var other = await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 20_000));

        Assert.Equal(ResponseCodes.DuplicateTransmission, late.ResponseCode);
        Assert.Equal(ResponseCodes.Approved, other.ResponseCode);
        Assert.Equal(80_000, (await context.BalanceOfAsync(DemoCards.Active)).LedgerBalance);
    }

    [Fact]
    public async Task Reversal_on_a_later_day_restores_the_usage_of_the_day_the_withdrawal_counted_on()
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        var key = context.NextKey();
        await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 30_000, key));
        context.Time.Advance(TimeSpan.FromDays(1));
        await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 40_000));

        await context.ExecuteAsync(context.Reversal(key, 30_000));

        var card = await context.BalanceOfAsync(DemoCards.Active);
        Assert.Equal(60_000, card.LedgerBalance);
        Assert.Equal(40_000, card.UsedToday);
        Assert.Equal(1, card.WithdrawalsToday);
    }
}
