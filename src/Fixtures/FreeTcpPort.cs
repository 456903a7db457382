using System.Net;
using System.Net.Sockets;

namespace SocketAtm.Fixtures;

/// <summary>A loopback port nothing listens on at the moment of asking (the kernel's pick for port 0).</summary>
public static class FreeTcpPort
{
    public static int Take()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
