using SocketAtm.Server.Ledger;

namespace SocketAtm.Server.Tests.Ledger;

public class SaturationAndFailureTests
{
    [Fact]
    public async Task Full_queue_answers_91_at_once_and_journals_nothing_for_it()
    {
        var streams = new ControlledStreamFactory();
        await using var context = new LedgerTestContext(options => options.QueueCapacity = 2);
        await context.OpenAsync(streams);

        streams.HoldLogSyncs();
        var inWriter = context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 100));
        Assert.True(await streams.LogSyncStarted.WaitAsync(TimeSpan.FromSeconds(10)));
        var queued = new[]
        {
            context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 100)),
            context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 100)),
        };
        var rejectedKey = context.NextKey();
        var rejected = context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 100, rejectedKey));

        Assert.True(rejected.IsCompleted);
        Assert.Equal(ResponseCodes.IssuerUnavailable, (await rejected).ResponseCode);
        streams.LogSyncGate.Set();
        Assert.All(await Task.WhenAll(queued.Append(inWriter)), outcome => Assert.True(outcome.IsApproved));
        var journal = await context.Ledger.ListJournalForTerminalAsync(LedgerTestContext.Terminal, 100, CancellationToken.None);
        Assert.Equal(3, journal.Count);
        Assert.DoesNotContain(journal, entry => entry.Key == rejectedKey.ToString());

        // Nothing was stored under the rejected key: the terminal's repeat is decided as an original.
        var retried = await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 100, rejectedKey, mti: 201));
        Assert.Equal(ResponseCodes.Approved, retried.ResponseCode);
        Assert.False(retried.IsReplay);
    }

    [Fact]
    public async Task Storage_failure_fails_the_batch_and_every_later_request_and_tells_the_host()
    {
        var streams = new ControlledStreamFactory();
        await using var context = new LedgerTestContext();
        await context.OpenAsync(streams);
        Assert.True((await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 100))).IsApproved);

        streams.FailLogSyncs = true;
        var failed = await Assert.ThrowsAsync<LedgerUnavailableException>(
            () => context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 100)));
        var later = await Assert.ThrowsAsync<LedgerUnavailableException>(
            () => context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 100)));
        await Assert.ThrowsAsync<LedgerUnavailableException>(() => context.Ledger.VerifyInvariantsAsync(CancellationToken.None));

        Assert.IsType<IOException>(failed.InnerException);
        Assert.IsType<IOException>(later.InnerException);
        Assert.IsType<IOException>(Assert.Single(context.FatalErrors));
    }

    [Fact]
    public async Task Host_is_told_of_a_storage_failure_before_any_request_fails_with_it()
    {
        var streams = new ControlledStreamFactory();
        await using var context = new LedgerTestContext();
        await context.OpenAsync(streams);
        streams.HoldLogSyncs();
        var failing = context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 100));
        Assert.True(await streams.LogSyncStarted.WaitAsync(TimeSpan.FromSeconds(10)));
        bool? requestHadFailedWhenTold = null;
        context.OnFatal = _ => requestHadFailedWhenTold = failing.IsCompleted;

        streams.FailLogSyncs = true;
        streams.LogSyncGate.Set();

        await Assert.ThrowsAsync<LedgerUnavailableException>(() => failing);
        Assert.False(requestHadFailedWhenTold);
    }

    [Fact]
    public async Task Closing_finishes_what_is_queued_and_refuses_what_comes_after()
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        var pending = Enumerable.Range(0, 20).Select(_ => context.ExecuteAsync(context.Withdrawal(DemoCards.Rich, DemoCards.RichPin, 100))).ToList();
        var ledger = context.Ledger;

        await context.CloseAsync();

        Assert.All(await Task.WhenAll(pending), outcome => Assert.True(outcome.IsApproved));
        await Assert.ThrowsAsync<LedgerUnavailableException>(
            () => ledger.ExecuteAsync(context.Withdrawal(DemoCards.Rich, DemoCards.RichPin, 100), CancellationToken.None).AsTask());
        await context.OpenAsync();
        Assert.Equal(100_000_000 - 2_000, (await context.BalanceOfAsync(DemoCards.Rich)).LedgerBalance);
    }
}
