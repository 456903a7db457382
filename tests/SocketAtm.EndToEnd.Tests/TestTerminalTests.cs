using System.Net;
using System.Net.Sockets;

namespace SocketAtm.EndToEnd.Tests;

/// <summary>The tests' terminal can always be disposed, whatever became of its connection: a test's failure stays its own.</summary>
public sealed class TestTerminalTests
{
    [Fact]
    public async Task Disposing_after_a_send_the_reset_connection_failed_does_not_throw()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var terminal = await TestTerminal.ConnectAsync((IPEndPoint)listener.LocalEndpoint, signOn: false);
        using (var accepted = await listener.AcceptSocketAsync())
        {
            accepted.LingerState = new LingerOption(enable: true, seconds: 0); // closed with a reset, as a host killed mid-test
        }

        var failed = false;
        for (var attempt = 0; attempt < 200 && !failed; attempt++)
        {
            try
            {
                await terminal.SendAsync(terminal.NetworkManagement(TestTerminal.NextStan(), "301"));
                await Task.Delay(10);
            }
            catch (IOException)
            {
                failed = true;
            }
        }

        Assert.True(failed, "a send over the reset connection should have failed");
        await terminal.DisposeAsync();
    }
}
