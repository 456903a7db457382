namespace SocketAtm.Server.Security;

/// <summary>The kinds of security violation the <see cref="ViolationThrottle"/> counts.</summary>
internal enum ViolationReason : byte
{
    /// <summary>A MAC terminal's request (financial or 0800) whose MAC is missing or wrong: 63.</summary>
    Mac,

    /// <summary>An 0100/0200 (or a repeat the host holds no answer for) whose DE 7 is outside the transmission window: 63.</summary>
    Stale,

    /// <summary>A request whose DE 41 names no registered, enabled terminal: 58 (counted per address only).</summary>
    UnknownTerminal,

    /// <summary>
    /// A financial request of a terminal without a MAC key over a connection that does not vouch for it (off loopback,
    /// anything but mutual TLS naming the terminal): 58.
    /// </summary>
    UnauthenticatedTerminal,
}
