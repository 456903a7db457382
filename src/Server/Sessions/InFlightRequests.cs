namespace SocketAtm.Server.Sessions;

/// <summary>
/// The requests one session has in flight. Each takes a slot before it is parsed, so at
/// <see cref="SessionOptions.MaxInFlightPerConnection"/> the read loop stops reading; each one that will be answered
/// is counted until its answer is written or abandoned, so the session ends only once none is left. The read loop
/// itself counts as one until it ends, so the count cannot reach zero while more requests may still come.
/// </summary>
internal sealed class InFlightRequests : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly TaskCompletionSource _allAnswered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _count = 1; // the read loop, until ReadingEnded

    public InFlightRequests(int limit) => _slots = new SemaphoreSlim(limit, limit);

    /// <summary>Completes once reading has ended and every counted request is over.</summary>
    public Task AllAnswered => _allAnswered.Task;

    /// <summary>Waits for a free slot: the read loop calls it before it takes a request, and pauses here at the limit.</summary>
    public Task WaitForSlotAsync(CancellationToken cancellationToken) => _slots.WaitAsync(cancellationToken);

    /// <summary>A request that took a slot gets no answer (ignored, or the connection closes): its slot frees, it was never counted.</summary>
    public void ReleaseUnanswered() => _slots.Release();

    /// <summary>A request that took a slot will be answered: it counts until <see cref="Finish"/>.</summary>
    public void Begin() => Interlocked.Increment(ref _count);

    /// <summary>A counted request is over, answered or abandoned: its slot frees and it no longer counts.</summary>
    public void Finish()
    {
        _slots.Release();
        Decrement();
    }

    /// <summary>The read loop has ended: no request will begin any more.</summary>
    public void ReadingEnded() => Decrement();

    public void Dispose() => _slots.Dispose();

    private void Decrement()
    {
        if (Interlocked.Decrement(ref _count) == 0)
        {
            _allAnswered.TrySetResult();
        }
    }
}
