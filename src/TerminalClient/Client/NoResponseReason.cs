namespace SocketAtm.Client;

/// <summary>Why a sent request has no answer the terminal may act on.</summary>
public enum NoResponseReason
{
    /// <summary>Nothing came back within the request timeout.</summary>
    Timeout,

    /// <summary>An answer came back but its MAC was missing or wrong, so it counts as no answer.</summary>
    MacInvalid,

    /// <summary>The link dropped (or the write failed) while the answer was awaited.</summary>
    LinkLost,

    /// <summary>The caller stopped waiting.</summary>
    Cancelled,
}
