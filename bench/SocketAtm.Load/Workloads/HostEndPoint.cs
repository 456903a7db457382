using System.Globalization;

namespace SocketAtm.Load.Workloads;

/// <summary>Where one host listens; written <c>host:port</c>, as the client library's fail-over list takes it.</summary>
internal sealed record HostEndPoint(string Host, int Port)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}");
}
