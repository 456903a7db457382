namespace SocketAtm.Server.Upstream;

/// <summary>Why a request was not sent upstream.</summary>
internal enum NotSentReason
{
    None,

    /// <summary>No connection of the route is signed on.</summary>
    NoSignedOnConnection,

    /// <summary>The route's <c>MaxInFlight</c> requests are already waiting.</summary>
    InFlightCap,

    /// <summary>The host is stopping.</summary>
    ShuttingDown,

    /// <summary>A request with the same matching key is already in flight (a caller's defect: its answer could not be told apart).</summary>
    DuplicateKey,

    /// <summary>The caller cancelled before anything was written.</summary>
    Cancelled,

    /// <summary>A financial request while the route's breaker is open, or half-open with its probe out.</summary>
    BreakerOpen,
}
