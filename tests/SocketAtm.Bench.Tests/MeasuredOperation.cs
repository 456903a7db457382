namespace SocketAtm.Bench.Tests;

/// <summary>
/// One benchmark operation, set up as its benchmark class sets it up, whose allocations per call can be measured.
/// Synchronous operations are counted on the calling thread, which is exact. Asynchronous ones cross threads (the
/// session's read and write loops run on the thread pool), so every thread's allocations are counted; the lowest of a few
/// rounds is kept, because anything else running can only add to a round, never take away.
/// </summary>
internal sealed class MeasuredOperation : IAsyncDisposable
{
    private const int Rounds = 5;
    private const int WarmUpCalls = 2_000;
    private const int SynchronousCalls = 10_000;
    private const int AsynchronousCalls = 5_000;

    private readonly Func<bool>? _synchronous;
    private readonly Func<ValueTask>? _asynchronous;
    private readonly Func<Task>? _cleanup;

    private MeasuredOperation(Func<bool>? synchronous, Func<ValueTask>? asynchronous, Func<Task>? cleanup)
    {
        _synchronous = synchronous;
        _asynchronous = asynchronous;
        _cleanup = cleanup;
    }

    /// <summary>An operation that returns true when it did its work (a false would mean it measured the wrong path).</summary>
    public static MeasuredOperation Synchronous(Func<bool> operation) => new(operation, null, null);

    public static MeasuredOperation Asynchronous(Func<ValueTask> operation, Func<Task> cleanup) => new(null, operation, cleanup);

    /// <summary>Bytes allocated per call: the lowest average of a few rounds of thousands of calls, after unmeasured ones.</summary>
    public Task<double> BytesPerCallAsync() =>
        _synchronous is { } synchronous
            ? Task.FromResult(MeasureSynchronous(synchronous, WarmUpCalls, SynchronousCalls))
            : Task.Run(() => MeasureAsynchronousAsync(_asynchronous!, WarmUpCalls, AsynchronousCalls)); // off xunit's synchronization context

    public async ValueTask DisposeAsync()
    {
        if (_cleanup is not null)
        {
            await _cleanup();
        }
    }

    private static double MeasureSynchronous(Func<bool> operation, int warmUpCalls, int calls)
    {
        for (var i = 0; i < warmUpCalls; i++)
        {
            Check(operation());
        }

        var lowest = double.MaxValue;
        for (var round = 0; round < Rounds; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var succeeded = true;
            for (var i = 0; i < calls; i++)
            {
                succeeded &= operation();
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Check(succeeded);
            lowest = Math.Min(lowest, (double)allocated / calls);
        }

        return lowest;
    }

    private static async Task<double> MeasureAsynchronousAsync(Func<ValueTask> operation, int warmUpCalls, int calls)
    {
        for (var i = 0; i < warmUpCalls; i++)
        {
            await operation().ConfigureAwait(false);
        }

        var lowest = double.MaxValue;
        for (var round = 0; round < Rounds; round++)
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            for (var i = 0; i < calls; i++)
            {
                await operation().ConfigureAwait(false);
            }

            var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            lowest = Math.Min(lowest, (double)allocated / calls);
        }

        return lowest;
    }

    private static void Check(bool succeeded)
    {
        if (!succeeded)
        {
            throw new InvalidOperationException("The operation did not do its work: its allocations would be those of another path.");
        }
    }
}
