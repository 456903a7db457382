namespace SocketAtm.Server.Acquiring;

/// <summary>
/// Wakes the <see cref="SafSender"/> when a reversal became owed on this host (a give-up), so that it goes out at
/// once rather than at the next round; a reversal owed by another host, or by a terminal's 0400, waits for the round.
/// </summary>
internal sealed class ReversalSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Wake()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Woken already: one wake-up covers every reversal owed since the last round.
        }
    }

    /// <summary>Completes when woken or after <paramref name="timeout"/>.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _signal.Dispose();
}
