using SocketAtm.Server.Ledger;
using SocketAtm.Server.Tests.Ledger.PostgreSql;

namespace SocketAtm.Server.Tests.Ledger.Contract;

/// <summary>
/// Stored answers and reversal markers are kept for Ledger:RepeatRetention (7 days) and then pruned, in bounded batches,
/// so the idempotency state stops growing; the journal keeps every row, and the invariants hold across pruning.
/// </summary>
public abstract partial class LedgerContractTests
{
    private QueuedLedger Queued => (QueuedLedger)Ledger;

    [StorageFact]
    public async Task Answers_and_markers_older_than_the_retention_are_pruned_younger_ones_stay_and_the_journal_keeps_every_row()
    {
        var oldKey = Context.NextKey();
        var markedKey = Context.NextKey();
        var old = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, oldKey));
        await ExecuteAsync(Context.Reversal(markedKey, 2_000));
        Context.Time.Advance(TimeSpan.FromDays(6));
        var youngKey = Context.NextKey();
        var young = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 1_000, youngKey));
        Context.Time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        var journalBefore = (await Admin.ListJournalForTerminalAsync(LedgerTestContext.Terminal, 100, CancellationToken.None)).Count;

        // The ledger's own pruning may have run already, as the clock passed its interval: either way, all is pruned now.
        await Queued.PruneExpiredRepeatsAsync(CancellationToken.None);

        Assert.Equal(journalBefore, (await Admin.ListJournalForTerminalAsync(LedgerTestContext.Terminal, 100, CancellationToken.None)).Count);
        Assert.Equal(young with { IsReplay = true }, await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 1_000, youngKey, mti: 201)));
        // A repeat after the retention finds no answer: as the host sends it, its DE 7 is stale by then, and it is refused.
        var lateRepeat = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, oldKey, mti: 201) with { IsStale = true });
        Assert.Equal(ResponseCodes.SecurityViolation, lateRepeat.ResponseCode);
        Assert.NotEqual(old.RetrievalReference, lateRepeat.RetrievalReference);
        // The marker is gone: the original it would have refused is decided.
        Assert.Equal(ResponseCodes.Approved, (await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, markedKey))).ResponseCode);
        Assert.Equal(95_000, (await BalanceOfAsync(DemoCards.Active)).LedgerBalance);
        Assert.True((await Admin.VerifyInvariantsAsync(CancellationToken.None)).Holds);
    }

    [StorageFact]
    public async Task A_pruning_batch_deletes_at_most_its_limit()
    {
        for (var i = 0; i < 5; i++)
        {
            await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 100));
        }

        // A cutoff ahead of the clock, rather than a clock moved on, so that the ledger's own pruning finds nothing meanwhile.
        var cutoff = Context.Time.GetUtcNow() + TimeSpan.FromDays(1);

        var batches = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            batches.Add(await Queued.PruneExpiredAsync(cutoff, 2, CancellationToken.None));
        }

        Assert.Equal([2, 2, 1, 0], batches);
    }

    [StorageFact]
    public async Task Pruning_runs_by_itself_and_a_key_decided_again_after_it_keeps_the_invariants()
    {
        var key = Context.NextKey();
        await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key));
        Context.Time.Advance(TimeSpan.FromDays(8));

        // Each advance past the interval lets the ledger's own pruning run; wait for it to have found the old answer.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        LedgerOutcome again;
        do
        {
            Context.Time.Advance(RepeatPruning.Interval);
            await Task.Delay(50);
            again = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key) with { IsStale = true });
        }
        while (again.ResponseCode != ResponseCodes.SecurityViolation && DateTime.UtcNow < deadline);

        // The same key decided again a year on (a terminal's STAN and DE 7 come round) is not a double application.
        var decidedAgain = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key));

        Assert.Equal(ResponseCodes.SecurityViolation, again.ResponseCode);
        Assert.Equal(ResponseCodes.Approved, decidedAgain.ResponseCode);
        Assert.True((await Admin.VerifyInvariantsAsync(CancellationToken.None)).Holds);
    }
}
