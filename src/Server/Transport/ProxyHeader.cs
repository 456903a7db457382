using System.Net;

namespace SocketAtm.Server.Transport;

/// <summary>What a PROXY protocol header says about the connection it opens.</summary>
internal enum ProxyHeaderCommand
{
    /// <summary>The proxy relays a client: <see cref="ProxyHeader.Source"/> is the client's address.</summary>
    Proxied,

    /// <summary>v2 LOCAL: the proxy speaks for itself (its health checks); the proxy's own address applies.</summary>
    Local,

    /// <summary>v1 UNKNOWN, or a v2 family the host does not count by (unspecified, UNIX): the proxy's own address applies.</summary>
    Unknown,
}

/// <summary>Why bytes are not a PROXY protocol header; each is also the metric reason "proxy_header_" + its snake-case name.</summary>
internal enum ProxyHeaderError
{
    None,

    /// <summary>Neither the v1 "PROXY " nor the v2 12-byte signature.</summary>
    WrongSignature,

    /// <summary>The signature, then something the specification does not allow.</summary>
    Malformed,

    /// <summary>Longer than the host reads: 107 bytes for v1, 16 + <see cref="ProxyHeaderParser.MaxV2PayloadLength"/> for v2.</summary>
    Oversized,
}

/// <summary>
/// A parsed PROXY protocol header (v1 text or v2 binary, haproxy.org's "proxy-protocol.txt"): who the proxy says
/// the client is, and how many bytes the header took before the terminal's own stream begins.
/// </summary>
/// <param name="Source">The client's address and port when <paramref name="Command"/> is <see cref="ProxyHeaderCommand.Proxied"/>.</param>
/// <param name="Destination">The address the client connected to, when given.</param>
internal readonly record struct ProxyHeader(int Version, ProxyHeaderCommand Command, IPEndPoint? Source, IPEndPoint? Destination, int Length);
