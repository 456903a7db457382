namespace SocketAtm.Client;

/// <summary>How a reversal ended.</summary>
public enum ReversalOutcome
{
    /// <summary>The host answered with an 0410 (its response code is in <see cref="ReversalResult.ResponseCode"/>).</summary>
    Acknowledged,

    /// <summary>The terminal was closed before the host acknowledged it; it must be sent again by other means.</summary>
    Abandoned,

    /// <summary>Nothing to reverse: the whole amount was dispensed.</summary>
    NotNeeded,
}
