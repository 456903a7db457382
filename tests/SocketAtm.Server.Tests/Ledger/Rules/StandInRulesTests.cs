using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Acquiring;
using SocketAtm.Server.Ledger.Rules;
using SocketAtm.Server.Security;

namespace SocketAtm.Server.Tests.Ledger.Rules;

/// <summary>
/// Stand-in decides within the issuer's terms, in a fixed order: only withdrawals, only a verified PIN, the
/// per-transaction limit, then the card's day in amount and in count. A limit reached exactly is still approved.
/// </summary>
public class StandInRulesTests
{
    private const long Max = 20_000;
    private const long Daily = 50_000;
    private const int Count = 3;

    private static StandInTerms Terms(StandInPinResult pin = StandInPinResult.Verified) => new("bank-b", Max, Daily, Count, pin);

    [Theory]
    [InlineData((int)TransactionKind.BalanceInquiry)]
    [InlineData((int)TransactionKind.Reversal)]
    public void Only_a_withdrawal_is_stood_in(int kind)
    {
        Assert.Equal(ResponseCodes.IssuerUnavailable, StandInRules.Decide(Terms(), (TransactionKind)kind, 1_000, 0, 0));
    }

    [Fact]
    public void A_pin_that_cannot_be_verified_is_declined_91()
    {
        Assert.Equal(ResponseCodes.IssuerUnavailable, StandInRules.Decide(Terms(StandInPinResult.Unverifiable), TransactionKind.Withdrawal, 1_000, 0, 0));
    }

    [Fact]
    public void A_wrong_pin_is_declined_55()
    {
        Assert.Equal(ResponseCodes.IncorrectPin, StandInRules.Decide(Terms(StandInPinResult.WrongPin), TransactionKind.Withdrawal, 1_000, 0, 0));
    }

    [Fact]
    public void The_kind_is_decided_before_the_pin()
    {
        Assert.Equal(ResponseCodes.IssuerUnavailable, StandInRules.Decide(Terms(StandInPinResult.WrongPin), TransactionKind.BalanceInquiry, 0, 0, 0));
    }

    [Fact]
    public void The_pin_is_decided_before_the_limits()
    {
        Assert.Equal(ResponseCodes.IncorrectPin, StandInRules.Decide(Terms(StandInPinResult.WrongPin), TransactionKind.Withdrawal, Max + 1, Daily, Count));
        Assert.Equal(ResponseCodes.IssuerUnavailable, StandInRules.Decide(Terms(StandInPinResult.Unverifiable), TransactionKind.Withdrawal, Max + 1, Daily, Count));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void An_amount_that_is_not_positive_is_declined_13(long amount)
    {
        Assert.Equal(ResponseCodes.InvalidAmount, StandInRules.Decide(Terms(), TransactionKind.Withdrawal, amount, 0, 0));
    }

    [Theory]
    [InlineData(Max, ResponseCodes.Approved)]
    [InlineData(Max + 1, ResponseCodes.ExceedsAmountLimit)]
    public void The_per_transaction_limit_is_inclusive(long amount, string expected)
    {
        Assert.Equal(expected, StandInRules.Decide(Terms(), TransactionKind.Withdrawal, amount, 0, 0));
    }

    [Theory]
    [InlineData(Daily - 10_000, 10_000, ResponseCodes.Approved)]
    [InlineData(Daily - 10_000, 10_001, ResponseCodes.ExceedsAmountLimit)]
    [InlineData(Daily, 1, ResponseCodes.ExceedsAmountLimit)]
    public void The_daily_amount_is_inclusive(long usedToday, long amount, string expected)
    {
        Assert.Equal(expected, StandInRules.Decide(Terms(), TransactionKind.Withdrawal, amount, usedToday, 0));
    }

    [Fact]
    public void The_daily_amount_is_decided_before_the_count()
    {
        Assert.Equal(ResponseCodes.ExceedsAmountLimit, StandInRules.Decide(Terms(), TransactionKind.Withdrawal, 10_001, Daily - 10_000, Count));
    }

    [Fact]
    public void The_per_transaction_limit_is_decided_before_the_count()
    {
        Assert.Equal(ResponseCodes.ExceedsAmountLimit, StandInRules.Decide(Terms(), TransactionKind.Withdrawal, Max + 1, 0, Count));
    }

    [Theory]
    [InlineData(Count - 1, ResponseCodes.Approved)]
    [InlineData(Count, ResponseCodes.ExceedsFrequencyLimit)]
    public void The_daily_count_is_inclusive(int usedToday, string expected)
    {
        Assert.Equal(expected, StandInRules.Decide(Terms(), TransactionKind.Withdrawal, 1_000, 0, usedToday));
    }

    [Fact]
    public void A_huge_usage_cannot_overflow_into_an_approval()
    {
        Assert.Equal(ResponseCodes.ExceedsAmountLimit, StandInRules.Decide(Terms(), TransactionKind.Withdrawal, Max, long.MaxValue, 0));
        var wide = new StandInTerms("bank-b", long.MaxValue, long.MaxValue, Count, StandInPinResult.Verified);
        Assert.Equal(ResponseCodes.ExceedsAmountLimit, StandInRules.Decide(wide, TransactionKind.Withdrawal, long.MaxValue, 1, 0));
    }

    [Theory]
    [InlineData(978, 978, ResponseCodes.Approved)]
    [InlineData(978, 0, ResponseCodes.Approved)]
    [InlineData(0, 840, ResponseCodes.Approved)]
    [InlineData(978, 840, ResponseCodes.IssuerUnavailable)]
    public void A_request_in_another_currency_than_the_limits_is_not_stood_in(int limitsCurrency, int requestCurrency, string expected)
    {
        var terms = Terms() with { Currency = limitsCurrency };

        Assert.Equal(expected, StandInRules.Decide(terms, TransactionKind.Withdrawal, 1_000, 0, 0, requestCurrency));
    }
}
