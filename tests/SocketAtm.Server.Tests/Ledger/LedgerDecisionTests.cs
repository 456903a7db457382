using SocketAtm.Server.Ledger;

namespace SocketAtm.Server.Tests.Ledger;

/// <summary>The response codes end to end through the ledger, on the demo data.</summary>
public class LedgerDecisionTests
{
    [Fact]
    public async Task Approved_withdrawal_debits_and_answers_with_auth_id_rrn_and_the_remaining_balance()
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        var outcome = await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000));

        Assert.Equal(ResponseCodes.Approved, outcome.ResponseCode);
        Assert.Matches("^[0-9]{6}$", outcome.AuthorizationId);
        Assert.Matches("^[0-9]{12}$", outcome.RetrievalReference);
        Assert.Equal(98_000, outcome.LedgerBalance);
        Assert.Equal(98_000, outcome.AvailableBalance);
        Assert.Equal(AccountType.Checking, outcome.AccountType);
        Assert.Equal(840, outcome.Currency);
        Assert.False(outcome.IsReplay);
        Assert.Equal(98_000, (await context.BalanceOfAsync(DemoCards.Active)).LedgerBalance);
    }

    [Theory]
    [InlineData("4761739001010101", "1234", "14")]
    [InlineData(DemoCards.Restricted, DemoCards.RestrictedPin, "62")]
    [InlineData(DemoCards.Expired, DemoCards.ExpiredPin, "54")]
    [InlineData(DemoCards.Active, "4321", "55")]
    public async Task Demo_cards_are_declined_as_the_brief_says(string pan, string pin, string expected)
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        var outcome = await context.ExecuteAsync(context.Withdrawal(pan, pin, 1_000));

        Assert.Equal(expected, outcome.ResponseCode);
        Assert.Null(outcome.AuthorizationId);
    }

    [Fact]
    public async Task Lost_and_stolen_cards_are_declined_with_41_and_43()
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        await context.Ledger.SetCardStatusAsync(DemoCards.Active, CardStatus.Lost, CancellationToken.None);
        var lost = await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 1_000));
        await context.Ledger.SetCardStatusAsync(DemoCards.Active, CardStatus.Stolen, CancellationToken.None);
        var stolen = await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 1_000));

        Assert.Equal(ResponseCodes.LostCard, lost.ResponseCode);
        Assert.Equal(ResponseCodes.StolenCard, stolen.ResponseCode);
        Assert.Equal(100_000, (await context.BalanceOfAsync(DemoCards.Active)).LedgerBalance);
    }

    [Fact]
    public async Task Withdrawal_over_the_balance_is_declined_with_51()
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        var outcome = await context.ExecuteAsync(context.Withdrawal(DemoCards.Poor, DemoCards.PoorPin, 5_001));

        Assert.Equal(ResponseCodes.InsufficientFunds, outcome.ResponseCode);
        Assert.Equal(5_000, outcome.LedgerBalance);
    }

    [Theory]
    [InlineData(0, 840)]
    [InlineData(1_000, 978)]
    public async Task Zero_amount_or_wrong_currency_is_declined_with_13(long amount, int currency)
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        var outcome = await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, amount, currency: currency));

        Assert.Equal(ResponseCodes.InvalidAmount, outcome.ResponseCode);
    }

    [Theory]
    [InlineData(10, "53")]
    [InlineData(30, "39")]
    public async Task Account_type_not_linked_is_declined(int accountType, string expected)
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        var outcome = await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 1_000, accountType: (AccountType)accountType));

        Assert.Equal(expected, outcome.ResponseCode);
    }

    [Fact]
    public async Task Checking_withdrawal_from_a_savings_only_card_is_declined_with_52()
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        const string pan = "4000001234567006";
        await context.Ledger.AddCardsAsync(
            [new CardRegistration { Pan = pan, Pin = "5555", Expiry = "2812", OpeningBalance = 1_000, AccountType = AccountType.Savings }],
            CancellationToken.None);

        var checking = await context.ExecuteAsync(context.Withdrawal(pan, "5555", 100, accountType: AccountType.Checking));
        var savings = await context.ExecuteAsync(context.Withdrawal(pan, "5555", 100, accountType: AccountType.Savings));

        Assert.Equal(ResponseCodes.NoCheckingAccount, checking.ResponseCode);
        Assert.Equal(ResponseCodes.Approved, savings.ResponseCode);
    }

    [Fact]
    public async Task Daily_amount_limit_answers_61_until_the_next_utc_day()
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        Assert.True((await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 40_000))).IsApproved);

        var overLimit = await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 10_001));
        context.Time.SetUtcNow(new DateTimeOffset(2026, 3, 15, 23, 59, 59, TimeSpan.Zero));
        var stillToday = await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 10_001));
        context.Time.SetUtcNow(new DateTimeOffset(2026, 3, 16, 0, 0, 0, TimeSpan.Zero));
        var tomorrow = await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 10_001));

        Assert.Equal(ResponseCodes.ExceedsAmountLimit, overLimit.ResponseCode);
        Assert.Equal(ResponseCodes.ExceedsAmountLimit, stillToday.ResponseCode);
        Assert.Equal(ResponseCodes.Approved, tomorrow.ResponseCode);
    }

    [Fact]
    public async Task Daily_count_limit_answers_65_on_the_eleventh_withdrawal_and_resets_the_next_day()
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        for (var i = 0; i < 10; i++)
        {
            Assert.True((await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 100))).IsApproved);
        }

        var eleventh = await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 100));
        context.Time.Advance(TimeSpan.FromDays(1));
        var nextDay = await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 100));

        Assert.Equal(ResponseCodes.ExceedsFrequencyLimit, eleventh.ResponseCode);
        Assert.Equal(ResponseCodes.Approved, nextDay.ResponseCode);
    }

    [Fact]
    public async Task Three_wrong_pins_block_the_card_with_75_and_the_right_pin_then_gets_75_too()
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        var first = await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, "0000", 100));
        var second = await context.ExecuteAsync(context.BalanceInquiry(DemoCards.Active, "0000"));
        var third = await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, "0000", 100));
        var rightPin = await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 100));

        Assert.Equal([ResponseCodes.IncorrectPin, ResponseCodes.IncorrectPin, ResponseCodes.PinTriesExceeded, ResponseCodes.PinTriesExceeded],
            new[] { first, second, third, rightPin }.Select(outcome => outcome.ResponseCode));
        var card = await context.BalanceOfAsync(DemoCards.Active);
        Assert.Equal(CardStatus.PinBlocked, card.Status);
        Assert.Equal(100_000, card.LedgerBalance);
    }

    [Fact]
    public async Task Correct_pin_resets_the_wrong_pin_count()
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, "0000", 100));
        await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, "0000", 100));
        var right = await context.ExecuteAsync(context.BalanceInquiry(DemoCards.Active, DemoCards.ActivePin));
        var wrongAgain = await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, "0000", 100));

        Assert.Equal(ResponseCodes.Approved, right.ResponseCode);
        Assert.Equal(ResponseCodes.IncorrectPin, wrongAgain.ResponseCode);
        Assert.Equal(1, (await context.BalanceOfAsync(DemoCards.Active)).PinTries);
    }

    [Fact]
    public async Task Balance_inquiry_reports_ledger_and_available_balance_and_moves_no_money()
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        var outcome = await context.ExecuteAsync(context.BalanceInquiry(DemoCards.Rich, DemoCards.RichPin));

        Assert.Equal(ResponseCodes.Approved, outcome.ResponseCode);
        Assert.Equal(100_000_000, outcome.LedgerBalance);
        Assert.Equal(100_000_000, outcome.AvailableBalance);
        var card = await context.BalanceOfAsync(DemoCards.Rich);
        Assert.Equal(100_000_000, card.LedgerBalance);
        Assert.Equal(0, card.WithdrawalsToday);
    }

    [Fact]
    public async Task Every_rrn_is_unique_and_declines_carry_no_authorization_id()
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        var outcomes = new List<LedgerOutcome>();
        for (var i = 0; i < 5; i++)
        {
            outcomes.Add(await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 100)));
            outcomes.Add(await context.ExecuteAsync(context.Withdrawal(DemoCards.Poor, DemoCards.PoorPin, 999_999)));
        }

        Assert.Equal(10, outcomes.Select(outcome => outcome.RetrievalReference).Distinct().Count());
        Assert.All(outcomes.Where(outcome => !outcome.IsApproved), outcome => Assert.Null(outcome.AuthorizationId));
        Assert.Equal(5, outcomes.Where(outcome => outcome.IsApproved).Select(outcome => outcome.AuthorizationId).Distinct().Count());
    }
}
