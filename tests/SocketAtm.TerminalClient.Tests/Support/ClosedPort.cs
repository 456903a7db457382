using System.Net;
using System.Net.Sockets;

namespace SocketAtm.TerminalClient.Tests.Support;

/// <summary>A loopback port that was just free and has nothing listening: a host that is down.</summary>
internal static class ClosedPort
{
    public static int Take()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
