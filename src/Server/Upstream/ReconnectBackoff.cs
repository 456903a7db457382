namespace SocketAtm.Server.Upstream;

/// <summary>
/// The wait before a connection's next round over its endpoints: <c>ReconnectDelay × 2^round</c>, capped at
/// <c>MaxReconnectDelay</c>, then jittered down to between half and all of it ("equal jitter"), so connections that
/// lost the issuer together do not all come back at the same instant, yet never retry sooner than half the base delay.
/// </summary>
/// <remarks>
/// A small helper rather than Polly.Core's retry: the loop is endless by design (a route retries until the host stops),
/// rotates endpoints within a round, and resets after a sign-on, which would all be state kept around Polly anyway; and
/// the host takes no dependency for fifteen lines of arithmetic.
/// </remarks>
internal sealed class ReconnectBackoff(TimeSpan baseDelay, TimeSpan maxDelay, Random? random = null)
{
    private readonly Random _random = random ?? Random.Shared;

    public TimeSpan BaseDelay { get; } = baseDelay;

    public TimeSpan MaxDelay { get; } = maxDelay;

    /// <summary>The capped delay before jitter of round <paramref name="round"/> (0 = the first wait).</summary>
    public TimeSpan Ceiling(int round)
    {
        var factor = Math.Pow(2, Math.Clamp(round, 0, 30));
        var ticks = Math.Min(BaseDelay.Ticks * factor, MaxDelay.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>The jittered wait of round <paramref name="round"/>: between half of <see cref="Ceiling"/> and all of it.</summary>
    public TimeSpan Delay(int round)
    {
        var ceiling = Ceiling(round);
        return TimeSpan.FromTicks((ceiling.Ticks / 2) + (long)(_random.NextDouble() * (ceiling.Ticks / 2)));
    }
}
