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

    [Fact]
    public async Task A_report_racing_one_whose_reversal_is_still_starting_joins_it_instead_of_starting_another()
    {
        var reversals = new OutstandingReversals();
        var running = new TaskCompletionSource<ReversalResult>();
        using var starting = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        Task<ReversalResult>? first = null;
        // The first report's reversal is still being started (on a thread of its own) when the second report comes.
        var firstReport = new Thread(() => first = reversals.StartOrJoin(Original, () =>
        {
            starting.Set();
            release.Wait(TimeSpan.FromSeconds(30));
            return running.Task;
        }));
        firstReport.Start();
        Assert.True(starting.Wait(TimeSpan.FromSeconds(30)), "the first reversal never started");

        var second = reversals.StartOrJoin(Original, () => throw new InvalidOperationException("a second reversal was started"));

        release.Set();
        Assert.True(firstReport.Join(TimeSpan.FromSeconds(30)), "the first report never returned");
        Assert.Same(running.Task, first);
        Assert.Equal([running.Task], reversals.Snapshot());
        Assert.False(second.IsCompleted);
        running.SetResult(Acknowledged);
        Assert.Equal(Acknowledged, await second.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, reversals.Count);
    }

    [Fact]
    public void A_reversal_that_fails_to_start_is_not_left_outstanding()
    {
        var reversals = new OutstandingReversals();

        // StartOrJoin throws synchronously here (the start throws before any task exists), as GetOrAdd's factory did.
        InvalidOperationException? thrown = null;
        try
        {
            _ = reversals.StartOrJoin(Original, () => throw new InvalidOperationException("no link"));
        }
        catch (InvalidOperationException exception)
        {
            thrown = exception;
        }

        Assert.Equal("no link", thrown?.Message);

        Assert.Equal(0, reversals.Count);
        var running = new TaskCompletionSource<ReversalResult>();
        Assert.Same(running.Task, reversals.StartOrJoin(Original, () => running.Task));
    }
    [Fact]
    public void A_reversal_that_fails_with_no_one_joined_leaves_no_unobserved_task_exception()
    {
        var marker = "reversal failed " + Guid.NewGuid().ToString("N");
        var unobserved = 0;
        EventHandler<UnobservedTaskExceptionEventArgs> count = (_, args) =>
        {
            if (args.Exception.Flatten().InnerExceptions.Any(inner => inner.Message == marker))
            {
                Interlocked.Increment(ref unobserved);
            }
        };
        TaskScheduler.UnobservedTaskException += count;
        try
        {
            var failed = StartAndFailAlone(new OutstandingReversals(), marker);

            // Only the caller's task was observed; a claim nobody joined must not surface at finalization.
            Assert.Equal(marker, failed.Exception!.InnerException!.Message);
            for (var i = 0; i < 3; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }

            Assert.Equal(0, Volatile.Read(ref unobserved));
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= count;
        }
    }

    // Not inlined, so no local of the caller keeps the claim alive for the collector.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static Task<ReversalResult> StartAndFailAlone(OutstandingReversals reversals, string marker)
    {
        var running = new TaskCompletionSource<ReversalResult>();
        var reversal = reversals.StartOrJoin(Original, () => running.Task);
        running.SetException(new InvalidOperationException(marker));
        return reversal;
    }
}
