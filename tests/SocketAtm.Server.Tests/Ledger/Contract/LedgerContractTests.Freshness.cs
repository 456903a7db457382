using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Tests.Ledger.PostgreSql;

namespace SocketAtm.Server.Tests.Ledger.Contract;

/// <summary>
/// Requests the session found stale (DE 7 outside the transmission window): refused 63 as security events, storing
/// nothing, unless they are repeats of a decided request, which get the stored answer whatever their age.
/// </summary>
public abstract partial class LedgerContractTests
{
    [StorageFact]
    public async Task Stale_original_is_refused_63_as_a_security_event_and_stores_nothing_under_its_key()
    {
        var key = Context.NextKey();

        var stale = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key) with { IsStale = true });

        Assert.Equal(ResponseCodes.SecurityViolation, stale.ResponseCode);
        Assert.Equal("stale_transmission", stale.SecurityEvent);
        Assert.Null(stale.RetrievalReference);
        Assert.Equal(100_000, (await BalanceOfAsync(DemoCards.Active)).LedgerBalance);
        var journaled = Assert.Single(await Admin.ListJournalForTerminalAsync(LedgerTestContext.Terminal, 10, CancellationToken.None));
        Assert.Equal(JournalDisposition.Stale, journaled.Disposition);
        Assert.Equal(ResponseCodes.SecurityViolation, journaled.ResponseCode);

        // Nothing was stored under the key: the same key, in time, is decided as new.
        var inTime = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key));
        Assert.Equal(ResponseCodes.Approved, inTime.ResponseCode);
        Assert.True((await Admin.VerifyInvariantsAsync(CancellationToken.None)).Holds);
    }

    [StorageFact]
    public async Task Stale_original_whose_key_was_used_is_refused_63_not_answered_94()
    {
        var key = Context.NextKey();
        await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key));

        var replayed = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key) with { IsStale = true });

        Assert.Equal(ResponseCodes.SecurityViolation, replayed.ResponseCode);
        Assert.Equal(98_000, (await BalanceOfAsync(DemoCards.Active)).LedgerBalance);
    }

    [StorageFact]
    public async Task Stale_repeat_of_a_decided_request_gets_the_stored_answer()
    {
        var key = Context.NextKey();
        var original = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key));

        var repeat = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key, mti: 201) with { IsStale = true });

        Assert.Equal(original with { IsReplay = true }, repeat);
        Assert.Equal(98_000, (await BalanceOfAsync(DemoCards.Active)).LedgerBalance);
    }

    [StorageFact]
    public async Task Stale_repeat_with_no_stored_answer_is_refused_like_a_stale_original()
    {
        var key = Context.NextKey();

        var repeat = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key, mti: 201) with { IsStale = true });
        var inquiry = await ExecuteAsync(Context.BalanceInquiry(DemoCards.Active, DemoCards.ActivePin, mti: 101) with { IsStale = true });

        Assert.Equal(ResponseCodes.SecurityViolation, repeat.ResponseCode);
        Assert.Equal(ResponseCodes.SecurityViolation, inquiry.ResponseCode);
        Assert.Null(inquiry.LedgerBalance);
        Assert.Equal(100_000, (await BalanceOfAsync(DemoCards.Active)).LedgerBalance);
        Assert.Equal(0, (await BalanceOfAsync(DemoCards.Active)).PinTries);
    }
}
