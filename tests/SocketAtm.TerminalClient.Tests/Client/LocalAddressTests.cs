using System.Net;
using System.Net.Sockets;
using SocketAtm.Client;

namespace SocketAtm.TerminalClient.Tests.Client;

/// <summary>A connection given a local address comes from it (Linux routes the whole of 127.0.0.0/8 to loopback).</summary>
public sealed class LocalAddressTests
{
    [Fact]
    public async Task A_connection_with_a_local_address_reaches_the_host_from_that_address()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var from = IPAddress.Parse("127.0.0.7");
        await using var connection = new TerminalConnection(new TerminalConnectionOptions
        {
            Port = ((IPEndPoint)listener.LocalEndpoint).Port,
            LocalAddress = from,
            SignOffTimeout = TimeSpan.FromMilliseconds(100),
        });
        connection.AddTerminal(new TerminalClientOptions { TerminalId = "ATM00009" });
        using var waiting = new CancellationTokenSource();

        // Never online (nothing answers the sign-on here): only where the connection comes from matters.
        var online = connection.StartAsync(waiting.Token);
        using var accepted = await listener.AcceptSocketAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(from, ((IPEndPoint)accepted.RemoteEndPoint!).Address);
        await waiting.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => online);
    }
}
