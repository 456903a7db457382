namespace SocketAtm.Server.Upstream;

/// <summary>Why a sent request has no answer.</summary>
internal enum TimedOutReason
{
    None,

    /// <summary>The route's timeout passed.</summary>
    Timeout,

    /// <summary>The connection it was sent on dropped (reset, framing error, echo timeout) before its answer came.</summary>
    ConnectionLost,

    /// <summary>The caller cancelled after the request was written.</summary>
    Cancelled,

    /// <summary>The host stopped while it waited.</summary>
    ShuttingDown,
}
