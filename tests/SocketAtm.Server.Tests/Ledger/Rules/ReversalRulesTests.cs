using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Ledger.Rules;
using static SocketAtm.Server.Tests.Ledger.Rules.RuleFixtures;

namespace SocketAtm.Server.Tests.Ledger.Rules;

public class ReversalRulesTests
{
    private static readonly RequestKey OriginalKey = new("00000000000", "ATM00009", 1, "0315100000");

    private static IdempotencyRecord ApprovedOriginal(long amount = 10_000) => new()
    {
        Key = OriginalKey.ToString(),
        Kind = TransactionKind.Withdrawal,
        Mti = 200,
        JournalId = 1,
        Outcome = new LedgerOutcome { ResponseCode = ResponseCodes.Approved, AuthorizationId = "000001", RetrievalReference = "000000000001" },
        CardId = 3,
        AccountId = 7,
        AppliedAmount = amount,
        UsageDay = 20260314,
    };

    private static readonly DailyUsageRecord UsageThatDay = new() { CardId = 3, Day = 20260314, Amount = 30_000, Count = 3 };

    private static LedgerRequest Reversal(long? dispensed = null) => new()
    {
        Kind = TransactionKind.Reversal,
        Key = new RequestKey("00000000000", "ATM00009", 2, "0315100100"),
        Mti = 400,
        Pan = string.Empty,
        Amount = 10_000,
        Currency = 840,
        OriginalKey = OriginalKey,
        DispensedAmount = dispensed,
        ReceivedAt = Now,
    };

    [Fact]
    public void Full_reversal_restores_the_amount_and_the_days_amount_and_count()
    {
        var decision = ReversalRules.Decide(ApprovedOriginal(), Checking(90_000), UsageThatDay, Reversal());

        Assert.Equal(ResponseCodes.Approved, decision.ResponseCode);
        Assert.Equal(10_000, decision.Delta);
        Assert.Equal(100_000, decision.Account!.Balance);
        Assert.Equal(UsageThatDay with { Amount = 20_000, Count = 2 }, decision.UsageAfter);
        Assert.Equal(Reversal().Key.ToString(), decision.OriginalAfter!.ReversedByKey);
    }

    [Fact]
    public void Partial_reversal_restores_what_was_not_dispensed_and_only_the_amount_of_usage()
    {
        var decision = ReversalRules.Decide(ApprovedOriginal(), Checking(90_000), UsageThatDay, Reversal(dispensed: 4_000));

        Assert.Equal(ResponseCodes.Approved, decision.ResponseCode);
        Assert.Equal(6_000, decision.Delta);
        Assert.Equal(UsageThatDay with { Amount = 24_000, Count = 3 }, decision.UsageAfter);
    }

    [Fact]
    public void Partial_reversal_that_dispensed_everything_restores_nothing_and_answers_00()
    {
        var decision = ReversalRules.Decide(ApprovedOriginal(), Checking(90_000), UsageThatDay, Reversal(dispensed: 10_000));

        Assert.Equal(ResponseCodes.Approved, decision.ResponseCode);
        Assert.Equal(0, decision.Delta);
        Assert.Null(decision.UsageAfter);
        Assert.NotNull(decision.OriginalAfter);
    }

    [Theory]
    [InlineData(10_001)]
    [InlineData(20_000)]
    public void Reversal_dispensing_more_than_the_original_is_declined_13_and_leaves_the_original_reversible(long dispensed)
    {
        var decision = ReversalRules.Decide(ApprovedOriginal(), Checking(90_000), UsageThatDay, Reversal(dispensed));

        Assert.Equal(ResponseCodes.InvalidAmount, decision.ResponseCode);
        Assert.Equal(0, decision.Delta);
        Assert.Null(decision.UsageAfter);
        Assert.Null(decision.OriginalAfter);
    }

    [Fact]
    public void Reversal_of_a_reversed_original_answers_00_and_changes_nothing()
    {
        var reversed = ApprovedOriginal() with { ReversedByKey = "earlier" };

        var decision = ReversalRules.Decide(reversed, Checking(100_000), UsageThatDay, Reversal());

        Assert.Equal(ResponseCodes.Approved, decision.ResponseCode);
        Assert.Equal(0, decision.Delta);
        Assert.Null(decision.OriginalAfter);
    }

    [Fact]
    public void Reversal_of_a_declined_original_answers_00_and_changes_nothing()
    {
        var declined = ApprovedOriginal() with { Outcome = new LedgerOutcome { ResponseCode = ResponseCodes.InsufficientFunds }, AppliedAmount = 0 };

        var decision = ReversalRules.Decide(declined, null, null, Reversal());

        Assert.Equal(ResponseCodes.Approved, decision.ResponseCode);
        Assert.Equal(0, decision.Delta);
        Assert.Null(decision.OriginalAfter);
        Assert.Null(decision.UsageAfter);
    }

    [Fact]
    public void Reversal_of_an_unknown_original_answers_25_and_leaves_a_marker()
    {
        var decision = ReversalRules.Decide(null, null, null, Reversal());

        Assert.Equal(ResponseCodes.UnableToLocateOriginal, decision.ResponseCode);
        Assert.True(decision.LeavesMarker);
        Assert.Equal(0, decision.Delta);
    }
}
