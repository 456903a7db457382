using SocketAtm.Server.Routing;

namespace SocketAtm.Server.Upstream;

/// <summary>A route's store-and-forward settings (Routing:Routes:N:Saf*), as the SAF worker uses them.</summary>
/// <param name="RetryDelay">The pause after a first unacknowledged try; it doubles per try.</param>
/// <param name="MaxRetryDelay">The longest pause between tries.</param>
/// <param name="Expiry">A message owed longer is flagged expired and alerted; it is still sent.</param>
/// <param name="Batch">Messages one host claims and sends per round.</param>
internal sealed record SafSchedule(TimeSpan RetryDelay, TimeSpan MaxRetryDelay, TimeSpan Expiry, int Batch)
{
    public static SafSchedule Of(RouteOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SafSchedule(options.SafRetryDelay, options.SafMaxRetryDelay, options.SafExpiry, options.SafBatch);
    }

    /// <summary>The pause before the next try of a message sent <paramref name="attempts"/> times without an acknowledgement.</summary>
    public TimeSpan DelayAfter(int attempts) =>
        TimeSpan.FromMilliseconds(Math.Min(MaxRetryDelay.TotalMilliseconds, RetryDelay.TotalMilliseconds * Math.Pow(2, Math.Clamp(attempts - 1, 0, 30))));
}
