namespace SocketAtm.Server.Upstream;

/// <summary>The acquirer's own DE 11 towards one route: 000001–999999, wrapping, never 000000. Thread-safe.</summary>
internal sealed class StanSequence
{
    public const int Max = 999_999;
    private long _last;

    /// <param name="last">The STAN handed out last (0 at start), so the next is <paramref name="last"/> + 1.</param>
    public StanSequence(int last = 0) => _last = last;

    public int Next() => (int)((Interlocked.Increment(ref _last) - 1) % Max) + 1;
}
