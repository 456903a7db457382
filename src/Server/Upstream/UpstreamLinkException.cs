namespace SocketAtm.Server.Upstream;

/// <summary>A connection could not be signed on (no answer, or the issuer refused); the reconnect loop tries the next endpoint.</summary>
internal sealed class UpstreamLinkException(string message) : Exception(message);
