using System.Net;

namespace SocketAtm.Load.Workloads;

/// <summary>
/// The host closed a new connection before answering the first sign-on on it: what a host's connection cap does
/// (Listener:MaxConnectionsPerAddress, Listener:MaxConnections close surplus connections as soon as they are accepted).
/// </summary>
internal sealed class ClosedAtAcceptException(HostEndPoint host, IPAddress? source)
    : IOException($"{host} closed the connection from {source?.ToString() ?? "this machine"} before answering its sign-on.")
{
    public HostEndPoint Host { get; } = host;

    /// <summary>The address the connection came from; null when the system chose it and it is not known.</summary>
    public IPAddress? SourceAddress { get; } = source;
}
