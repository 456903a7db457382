using System.Collections.Concurrent;

namespace SocketAtm.Client.Reversals;

/// <summary>
/// The reversals a terminal has started and the host has not acknowledged yet, one per original withdrawal: a second
/// report for the same original joins the reversal already running instead of sending another. Closing waits for them.
/// </summary>
internal sealed class OutstandingReversals
{
    private readonly ConcurrentDictionary<RequestTrace, Task<ReversalResult>> _running = new();

    public int Count => _running.Count;

    /// <summary>The reversals running now.</summary>
    public Task<ReversalResult>[] Snapshot() => [.. _running.Values];

    /// <summary>The reversal running for <paramref name="original"/>, or a new one from <paramref name="start"/>.</summary>
    public Task<ReversalResult> StartOrJoin(RequestTrace original, Func<Task<ReversalResult>> start)
    {
        // Known and kept for now: GetOrAdd may run start for both of two reports of one original that race, so both
        // reversals go out, and the one not stored is neither counted, joined nor drained on close.
        var reversal = _running.GetOrAdd(original, _ => start());

        // Every caller that joined registers a removal, and a late one may run when a newer reversal of the same original
        // already holds the key: removing by key alone would drop that one from the drain on close, so only the entry
        // that ended goes (this overload compares the value too).
        var entry = KeyValuePair.Create(original, reversal);
        _ = reversal.ContinueWith(
            _ => _running.TryRemove(entry),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return reversal;
    }
}
