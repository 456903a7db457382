using SocketAtm.Client;
using SocketAtm.Client.Reversals;

namespace SocketAtm.TerminalClient.Tests.Client;

public sealed class OutstandingReversalsTests
{
    private static readonly RequestTrace Original = new(200, 123, "0101120000");
    private static readonly ReversalResult Acknowledged = new(ReversalOutcome.Acknowledged, "00", 0, 1, null);

    [Fact]
    public void A_second_report_for_the_same_original_joins_the_running_reversal()
    {
        var reversals = new OutstandingReversals();
        var running = new TaskCompletionSource<ReversalResult>();

        var first = reversals.StartOrJoin(Original, () => running.Task);
        var second = reversals.StartOrJoin(Original, () => throw new InvalidOperationException("a second reversal was started"));

        Assert.Same(first, second);
        Assert.Equal(1, reversals.Count);
        running.SetResult(Acknowledged);
        Assert.Equal(0, reversals.Count);
    }

    [Fact]
    public void A_newer_reversal_of_the_same_original_stays_outstanding_when_the_older_one_ends()
    {
        var reversals = new OutstandingReversals();
        var older = new TaskCompletionSource<ReversalResult>();
        var newer = new TaskCompletionSource<ReversalResult>();
        reversals.StartOrJoin(Original, () => older.Task);

        // Continuations that run synchronously run in the order they were registered, all on the thread that ends the
        // older reversal: its first removal, then the newer reversal starting, then the removal of the caller that joined.
        older.Task.ContinueWith(
            _ => reversals.StartOrJoin(Original, () => newer.Task),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        reversals.StartOrJoin(Original, () => throw new InvalidOperationException("a second reversal was started"));
        older.SetResult(Acknowledged);

        Assert.Equal([newer.Task], reversals.Snapshot());
        newer.SetResult(Acknowledged);
        Assert.Equal(0, reversals.Count);
    }
}
