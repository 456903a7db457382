using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Ledger.Rules;
using static SocketAtm.Server.Tests.Ledger.Rules.RuleFixtures;

namespace SocketAtm.Server.Tests.Ledger.Rules;

public class WithdrawalRulesTests
{
    private static LedgerDecision Decide(
        CardRecord? card, LedgerRequest? request = null, DailyUsageRecord? usage = null, AccountRecord? account = null, DateTimeOffset? now = null) =>
        WithdrawalRules.Decide(card, [account ?? Checking()], usage, request ?? Withdrawal(), now ?? Now, PinTryLimit);

    [Fact]
    public void Approval_debits_the_account_and_counts_on_todays_usage()
    {
        var decision = Decide(Card());

        Assert.Equal(ResponseCodes.Approved, decision.ResponseCode);
        Assert.Equal(-10_000, decision.Delta);
        Assert.Equal(90_000, decision.Account!.Balance);
        Assert.Equal(new DailyUsageRecord { CardId = 3, Day = 20260315, Amount = 10_000, Count = 1 }, decision.UsageAfter);
        Assert.Null(decision.CardAfter);
    }

    [Fact]
    public void Unknown_card_is_declined_with_14()
    {
        Assert.Equal(ResponseCodes.InvalidCardNumber, Decide(null).ResponseCode);
    }

    [Theory]
    [InlineData("Lost", "41")]
    [InlineData("Stolen", "43")]
    [InlineData("Restricted", "62")]
    [InlineData("PinBlocked", "75")]
    public void Card_status_declines_before_the_pin_is_looked_at(string status, string expected)
    {
        var decision = Decide(Card(Enum.Parse<CardStatus>(status)), Withdrawal(pin: "9999"));

        Assert.Equal(expected, decision.ResponseCode);
        Assert.Null(decision.CardAfter);
    }

    [Fact]
    public void Lost_card_that_is_also_expired_answers_41_because_status_comes_first()
    {
        Assert.Equal(ResponseCodes.LostCard, Decide(Card(CardStatus.Lost, expiry: "2312")).ResponseCode);
    }

    [Fact]
    public void Card_is_valid_through_its_expiry_month_and_expired_the_month_after()
    {
        Assert.Equal(ResponseCodes.Approved, Decide(Card(expiry: "2603")).ResponseCode);
        Assert.Equal(ResponseCodes.ExpiredCard, Decide(Card(expiry: "2602")).ResponseCode);
        Assert.Equal(ResponseCodes.ExpiredCard, Decide(Card(expiry: "2603"), now: new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero)).ResponseCode);
    }

    [Fact]
    public void Expired_card_is_declined_with_54_before_a_wrong_pin_counts()
    {
        var decision = Decide(Card(expiry: "2312"), Withdrawal(pin: "9999"));

        Assert.Equal(ResponseCodes.ExpiredCard, decision.ResponseCode);
        Assert.Null(decision.CardAfter);
    }

    [Fact]
    public void Wrong_pin_is_declined_with_55_and_counts_a_try()
    {
        var decision = Decide(Card(pinTries: 1), Withdrawal(pin: "9999"));

        Assert.Equal(ResponseCodes.IncorrectPin, decision.ResponseCode);
        Assert.Equal(2, decision.CardAfter!.PinTries);
        Assert.Equal(CardStatus.Active, decision.CardAfter.Status);
        Assert.Equal(0, decision.Delta);
    }

    [Fact]
    public void Wrong_pin_that_reaches_the_limit_blocks_the_card_and_answers_75()
    {
        var decision = Decide(Card(pinTries: 2), Withdrawal(pin: "9999"));

        Assert.Equal(ResponseCodes.PinTriesExceeded, decision.ResponseCode);
        Assert.Equal(3, decision.CardAfter!.PinTries);
        Assert.Equal(CardStatus.PinBlocked, decision.CardAfter.Status);
    }

    [Fact]
    public void Pin_block_that_did_not_decrypt_to_a_pin_counts_as_a_wrong_pin()
    {
        var decision = Decide(Card(), Withdrawal(pin: null));

        Assert.Equal(ResponseCodes.IncorrectPin, decision.ResponseCode);
        Assert.Equal(1, decision.CardAfter!.PinTries);
    }

    [Fact]
    public void Request_without_a_pin_block_is_declined_with_55_without_counting_a_try()
    {
        var decision = Decide(Card(), Withdrawal(hasPinBlock: false));

        Assert.Equal(ResponseCodes.IncorrectPin, decision.ResponseCode);
        Assert.Null(decision.CardAfter);
    }

    [Fact]
    public void Correct_pin_resets_the_try_counter()
    {
        var decision = Decide(Card(pinTries: 2));

        Assert.Equal(ResponseCodes.Approved, decision.ResponseCode);
        Assert.Equal(0, decision.CardAfter!.PinTries);
    }

    [Fact]
    public void Correct_pin_resets_the_try_counter_even_when_the_withdrawal_is_declined()
    {
        var decision = Decide(Card(pinTries: 2), Withdrawal(amount: 200_000));

        Assert.Equal(ResponseCodes.ExceedsAmountLimit, decision.ResponseCode);
        Assert.Equal(0, decision.CardAfter!.PinTries);
    }

    [Theory]
    [InlineData(10, "53")]
    [InlineData(30, "39")]
    public void Account_type_the_card_has_no_account_of_is_declined(int requested, string expected)
    {
        Assert.Equal(expected, Decide(Card(), Withdrawal(accountType: (AccountType)requested)).ResponseCode);
    }

    [Fact]
    public void Checking_requested_from_a_card_without_one_is_declined_with_52()
    {
        var savingsOnly = Card() with { Accounts = [new LinkedAccount(AccountType.Savings, 7)] };

        var decision = Decide(savingsOnly, Withdrawal(accountType: AccountType.Checking), account: Checking() with { Type = AccountType.Savings });

        Assert.Equal(ResponseCodes.NoCheckingAccount, decision.ResponseCode);
    }

    [Fact]
    public void Checking_requested_explicitly_is_approved()
    {
        Assert.Equal(ResponseCodes.Approved, Decide(Card(), Withdrawal(accountType: AccountType.Checking)).ResponseCode);
    }

    [Theory]
    [InlineData(0, 840)]
    [InlineData(-5, 840)]
    [InlineData(1_000, 978)]
    public void Zero_or_negative_amount_or_another_currency_is_declined_with_13(long amount, int currency)
    {
        var decision = Decide(Card(), Withdrawal(amount: amount, currency: currency));

        Assert.Equal(ResponseCodes.InvalidAmount, decision.ResponseCode);
        Assert.Equal(0, decision.Delta);
    }

    [Fact]
    public void Withdrawal_over_daily_limit_is_declined_with_61()
    {
        var usage = new DailyUsageRecord { CardId = 3, Day = 20260315, Amount = 45_000, Count = 2 };

        Assert.Equal(ResponseCodes.ExceedsAmountLimit, Decide(Card(), Withdrawal(amount: 5_001), usage).ResponseCode);
        Assert.Equal(ResponseCodes.Approved, Decide(Card(), Withdrawal(amount: 5_000), usage).ResponseCode);
    }

    [Fact]
    public void Withdrawal_over_daily_count_is_declined_with_65()
    {
        var usage = new DailyUsageRecord { CardId = 3, Day = 20260315, Amount = 1_000, Count = 10 };

        Assert.Equal(ResponseCodes.ExceedsFrequencyLimit, Decide(Card(), Withdrawal(amount: 100), usage).ResponseCode);
    }

    [Fact]
    public void Withdrawal_that_reaches_the_daily_count_exactly_is_approved()
    {
        var usage = new DailyUsageRecord { CardId = 3, Day = 20260315, Amount = 1_000, Count = 9 };

        var decision = Decide(Card(), Withdrawal(amount: 100), usage);

        Assert.Equal(ResponseCodes.Approved, decision.ResponseCode);
        Assert.Equal(10, decision.UsageAfter!.Count);
    }

    [Theory]
    [InlineData(0L, 840, "13")]
    [InlineData(100L, 978, "13")]
    [InlineData(50_001L, 840, "61")]
    [InlineData(40_000L, 840, "51")]
    public void Declines_after_the_account_is_selected_report_its_unchanged_balance(long amount, int currency, string expected)
    {
        var decision = Decide(Card(), Withdrawal(amount: amount, currency: currency), account: Checking(balance: 30_000));

        Assert.Equal(expected, decision.ResponseCode);
        Assert.Equal(30_000, decision.Account!.Balance);
        Assert.Equal(0, decision.Delta);
    }

    [Theory]
    [InlineData("4321")]
    [InlineData("0000")]
    public void Wrong_pin_declines_report_no_account(string pin)
    {
        var decision = Decide(Card(), Withdrawal(pin: pin));

        Assert.Equal(ResponseCodes.IncorrectPin, decision.ResponseCode);
        Assert.Null(decision.Account);
    }

    [Fact]
    public void Amount_limit_is_checked_before_count_limit()
    {
        var usage = new DailyUsageRecord { CardId = 3, Day = 20260315, Amount = 50_000, Count = 10 };

        Assert.Equal(ResponseCodes.ExceedsAmountLimit, Decide(Card(), Withdrawal(amount: 100), usage).ResponseCode);
    }

    [Fact]
    public void Withdrawal_over_the_balance_is_declined_with_51_and_reports_the_balance()
    {
        var decision = Decide(Card(), Withdrawal(amount: 5_001), account: Checking(balance: 5_000));

        Assert.Equal(ResponseCodes.InsufficientFunds, decision.ResponseCode);
        Assert.Equal(5_000, decision.Account!.Balance);
        Assert.Equal(0, decision.Delta);
    }

    [Fact]
    public void Withdrawal_of_the_whole_balance_is_approved()
    {
        var decision = Decide(Card(), Withdrawal(amount: 5_000), account: Checking(balance: 5_000));

        Assert.Equal(ResponseCodes.Approved, decision.ResponseCode);
        Assert.Equal(0, decision.Account!.Balance);
    }

    [Fact]
    public void Balance_inquiry_checks_the_card_but_moves_no_money()
    {
        var request = Withdrawal() is var withdrawal ? new LedgerRequest
        {
            Kind = TransactionKind.BalanceInquiry,
            Key = withdrawal.Key,
            Mti = 200,
            Pan = withdrawal.Pan,
            CandidatePvv = withdrawal.CandidatePvv,
            HasPinBlock = true,
            ReceivedAt = Now,
        } : null!;

        var approved = BalanceInquiryRules.Decide(Card(), [Checking()], request, Now, PinTryLimit);
        var expired = BalanceInquiryRules.Decide(Card(expiry: "2312"), [Checking()], request, Now, PinTryLimit);

        Assert.Equal(ResponseCodes.Approved, approved.ResponseCode);
        Assert.Equal(100_000, approved.Account!.Balance);
        Assert.Equal(0, approved.Delta);
        Assert.Null(approved.UsageAfter);
        Assert.Equal(ResponseCodes.ExpiredCard, expired.ResponseCode);
    }
}
