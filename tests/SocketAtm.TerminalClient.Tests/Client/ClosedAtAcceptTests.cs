using System.Net;
using System.Net.Sockets;
using SocketAtm.Client;

namespace SocketAtm.TerminalClient.Tests.Client;

/// <summary>
/// A host whose connection cap is reached closes each new connection as soon as it accepts it. The client keeps trying
/// (the cap may free up) and can be disposed at any time: a link closed under it never ends the reconnect loop with an
/// exception ("Broken pipe" from flushing what the sign-on left buffered).
/// </summary>
public sealed class ClosedAtAcceptTests
{
    [Fact]
    public async Task Connections_closed_at_accept_are_retried_and_the_connection_disposes_cleanly()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var connection = new TerminalConnection(new TerminalConnectionOptions
        {
            Port = ((IPEndPoint)listener.LocalEndpoint).Port,
            ReconnectDelay = TimeSpan.FromMilliseconds(10),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(50),
            SignOffTimeout = TimeSpan.FromMilliseconds(100),
        });
        connection.AddTerminal(new TerminalClientOptions { TerminalId = "ATM00009" });
        using var waiting = new CancellationTokenSource();
        var online = connection.StartAsync(waiting.Token);

        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var accepted = await listener.AcceptSocketAsync().WaitAsync(TimeSpan.FromSeconds(10));

            // As a cap does: close as soon as accepted; the sign-on the client sends is never read, so the close resets.
            await Task.Delay(50);
            accepted.Close(0);
        }

        await waiting.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => online);
        Assert.True(connection.LinksOpened >= 3, $"{connection.LinksOpened} links opened");
        await connection.DisposeAsync();
        Assert.Equal(LinkState.Closed, connection.State);
    }
}
