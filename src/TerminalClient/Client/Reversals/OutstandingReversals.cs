namespace SocketAtm.Client.Reversals;

/// <summary>
/// The reversals a terminal has started and the host has not acknowledged yet, one per original withdrawal: a second
/// report for the same original joins the reversal already running instead of sending another. Closing waits for them.
/// </summary>
internal sealed class OutstandingReversals
{
    private readonly Dictionary<RequestTrace, Task<ReversalResult>> _running = [];
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _running.Count;
            }
        }
    }

    /// <summary>The reversals running now.</summary>
    public Task<ReversalResult>[] Snapshot()
    {
        lock (_lock)
        {
            return [.. _running.Values];
        }
    }

    /// <summary>The reversal running for <paramref name="original"/>, or a new one from <paramref name="start"/>.</summary>
    public Task<ReversalResult> StartOrJoin(RequestTrace original, Func<Task<ReversalResult>> start)
    {
        // The original is claimed before start runs (outside the lock: it may take time), so that a report racing this
        // one joins it instead of starting a second reversal that nothing would count, join or drain on close.
        var starting = new TaskCompletionSource<ReversalResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_running.TryGetValue(original, out var running))
            {
                return running;
            }

            _running.Add(original, starting.Task);
        }

        Task<ReversalResult> reversal;
        try
        {
            reversal = start();
        }
        catch (Exception exception)
        {
            Remove(original, starting.Task);
            Complete(starting, Task.FromException<ReversalResult>(exception));
            throw;
        }

        lock (_lock)
        {
            _running[original] = reversal;
        }

        // Whoever joined while it was starting waits on the claim; it ends as the reversal does.
        _ = reversal.ContinueWith(
            ended =>
            {
                Remove(original, ended);
                Complete(starting, ended);
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return reversal;
    }

    private static void Complete(TaskCompletionSource<ReversalResult> claim, Task<ReversalResult> ended)
    {
        if (ended.IsCompletedSuccessfully)
        {
            claim.SetResult(ended.Result);
        }
        else if (ended.IsCanceled)
        {
            claim.SetCanceled();
        }
        else
        {
            claim.SetException(ended.Exception!.InnerExceptions);

            // The claim is only awaited by reports that joined; when none did, its failure is the caller's to see on the
            // reversal itself, and must not come back as an unobserved task exception when the claim is collected.
            _ = claim.Task.Exception;
        }
    }

    // A newer reversal of the same original may hold the key by the time an older one ends: only the entry that ended goes.
    private void Remove(RequestTrace original, Task<ReversalResult> ended)
    {
        lock (_lock)
        {
            if (_running.TryGetValue(original, out var current) && current == ended)
            {
                _running.Remove(original);
            }
        }
    }
}
