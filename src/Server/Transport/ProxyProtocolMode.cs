namespace SocketAtm.Server.Transport;

/// <summary>Whether connections begin with a PROXY protocol header (<see cref="ListenerOptions.ProxyProtocol"/>).</summary>
internal enum ProxyProtocolMode
{
    /// <summary>Terminals connect directly: the TCP peer is the terminal's address.</summary>
    Off,

    /// <summary>
    /// Every connection comes from one of <see cref="ListenerOptions.TrustedProxies"/> and begins with a v1 or v2 header
    /// naming the terminal's address; any other connection is refused.
    /// </summary>
    On,
}
