namespace SocketAtm.Server.Upstream;

/// <summary>Where a route's <see cref="RouteBreaker"/> stands.</summary>
internal enum BreakerState
{
    /// <summary>Financial requests go upstream; their timeouts are counted.</summary>
    Closed,

    /// <summary>Too many timeouts in a row: no financial request is sent until <c>BreakerOpenFor</c> has passed.</summary>
    Open,

    /// <summary>The open time passed: one financial request is let through as the probe, the others are not sent meanwhile.</summary>
    HalfOpen,
}
