using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Tests.Ledger.PostgreSql;

namespace SocketAtm.Server.Tests.Ledger.Contract;

/// <summary>
/// Throttled security violations: a terminal's window of them is journaled as one row (disposition Throttled, its counts
/// in the detail, no PAN), durable across a reopen; a throttled stale refusal is journaled nowhere on its own, and a
/// throttled stale repeat still gets its stored answer.
/// </summary>
public abstract partial class LedgerContractTests
{
    private const string SummaryDetail = "190 violations (mac: 190, stale: 0) from 192.0.2.7 in 00:01:00 from 2026-03-15T10:00:00Z, after 10 journaled one by one";

    [StorageFact]
    public async Task A_window_of_throttled_violations_is_journaled_as_one_durable_row_that_stores_nothing_and_counts_no_event()
    {
        var key = new RequestKey(LedgerTestContext.Acquirer, LedgerTestContext.Terminal, 0, "0315100000");

        var outcome = await ExecuteAsync(new LedgerRequest
        {
            Kind = TransactionKind.SecurityViolation,
            Key = key,
            Mti = 0,
            Pan = string.Empty,
            IsViolationSummary = true,
            Detail = SummaryDetail,
            ReceivedAt = Context.Time.GetUtcNow(),
        });

        Assert.Equal(ResponseCodes.SecurityViolation, outcome.ResponseCode);
        Assert.Null(outcome.SecurityEvent); // each violation it sums up was counted as it came
        Assert.Null(outcome.RetrievalReference);
        await _ledger!.DisposeAsync();
        _ledger = null;
        _ledger = await OpenLedgerAsync(Context);
        var row = Assert.Single(await Admin.ListJournalForTerminalAsync(LedgerTestContext.Terminal, 10, CancellationToken.None));
        Assert.Equal(
            (JournalDisposition.Throttled, TransactionKind.SecurityViolation, ResponseCodes.SecurityViolation, SummaryDetail, string.Empty, key.ToString()),
            (row.Disposition, row.Kind, row.ResponseCode, row.Detail, row.MaskedPan, row.Key));
        Assert.Equal(0, row.Delta);
        Assert.True((await Admin.VerifyInvariantsAsync(CancellationToken.None)).Holds);
    }

    [StorageFact]
    public async Task A_throttled_stale_original_is_refused_63_and_journaled_nowhere_on_its_own()
    {
        var refused = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000) with { IsStale = true, IsThrottled = true });

        Assert.Equal(ResponseCodes.SecurityViolation, refused.ResponseCode);
        Assert.Null(refused.SecurityEvent); // counted by the throttle, not by the ledger
        Assert.Empty(await Admin.ListJournalForTerminalAsync(LedgerTestContext.Terminal, 10, CancellationToken.None));
        Assert.Equal(100_000, (await BalanceOfAsync(DemoCards.Active)).LedgerBalance);
    }

    [StorageFact]
    public async Task A_throttled_stale_repeat_of_a_decided_request_still_gets_the_stored_answer()
    {
        var key = Context.NextKey();
        var original = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key));

        var repeat = await ExecuteAsync(
            Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key, mti: 201) with { IsStale = true, IsThrottled = true });

        Assert.Equal(original with { IsReplay = true }, repeat);
        Assert.Equal(98_000, (await BalanceOfAsync(DemoCards.Active)).LedgerBalance);
    }
}
