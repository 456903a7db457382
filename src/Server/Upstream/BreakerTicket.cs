namespace SocketAtm.Server.Upstream;

/// <summary>What <see cref="RouteBreaker.TryPass"/> let a request do; handed back with its end to <see cref="RouteBreaker.Ended"/>.</summary>
internal enum BreakerTicket
{
    /// <summary>Not a financial request (network management, an advice): never held back, its end never counted.</summary>
    Uncounted,

    /// <summary>Sent while closed: a timeout counts towards opening, an answer resets the count.</summary>
    Counted,

    /// <summary>The one request sent while half-open: its answer closes the breaker, its timeout opens it again.</summary>
    Probe,

    /// <summary>Held back: the breaker is open, or half-open with its probe out. Nothing is sent.</summary>
    Refused,
}
