namespace SocketAtm.Client;

/// <summary>Where a <see cref="TerminalConnection"/> stands with the host.</summary>
public enum LinkState
{
    /// <summary>Not started yet.</summary>
    Idle,

    /// <summary>Opening the transport (the first time, or again after a loss and a back-off pause).</summary>
    Connecting,

    /// <summary>Connected; signing the terminals on.</summary>
    SigningOn,

    /// <summary>Connected and signed on; requests flow.</summary>
    Online,

    /// <summary>The link was lost or could not be opened; a reconnect follows after a back-off pause.</summary>
    Disconnected,

    /// <summary>Disposed: terminals signed off, transport closed, no reconnect.</summary>
    Closed,
}
