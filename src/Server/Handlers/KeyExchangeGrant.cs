namespace SocketAtm.Server.Handlers;

/// <summary>What <see cref="KeyExchangeRateLimit.TryAcquire"/> decided.</summary>
internal enum KeyExchangeGrant : byte
{
    /// <summary>The exchange may go ahead; it is counted.</summary>
    Granted,

    /// <summary>Over the limit: the first refusal since the terminal's last granted exchange (worth a log line).</summary>
    Limited,

    /// <summary>Over the limit again: already logged.</summary>
    LimitedAgain,

    /// <summary>The table of tracked terminals is full of terminals still inside their window.</summary>
    TrackingFull,
}
