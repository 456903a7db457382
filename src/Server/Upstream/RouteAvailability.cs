namespace SocketAtm.Server.Upstream;

/// <summary>Whether a financial request to a route would be sent now (<see cref="IssuerRoute.Availability"/>).</summary>
internal enum RouteAvailability
{
    Available,

    /// <summary>No connection of the route is signed on.</summary>
    LinkDown,

    /// <summary>Its breaker is open, or half-open with its probe out.</summary>
    BreakerOpen,
}
