using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;

namespace SocketAtm.EndToEnd.Tests.Security;

/// <summary>
/// The attack: hold connections to the host without ever signing a terminal on, kept alive by echo tests and keep-alives.
/// The real host, over real sockets, closes them after Listener:SignOnTimeout while a signed-on terminal stays.
/// </summary>
public sealed class UnsignedConnectionTests
{
    private static readonly TimeSpan SignOnTimeout = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task A_connection_that_only_sends_echo_tests_and_keep_alives_is_closed_after_the_sign_on_timeout_while_a_signed_on_one_stays()
    {
        var sink = new CapturingSink();
        await using var host = await RunningHost.StartWithServicesAsync(services => services.AddSingleton<ILogEventSink>(sink), "--Listener:SignOnTimeout=00:00:02");
        using var counters = new CounterTotals(host.Services.GetRequiredService<IMeterFactory>());
        await using var signedOn = await TestTerminal.ConnectAsync(host.EndPoint);
        var (stream, client) = await ConnectAsync(host.EndPoint);
        await using var unsigned = await TestTerminal.AttachAsync(stream, client, signOn: false);

        var held = Stopwatch.StartNew();
        var answered = 0;
        while (held.Elapsed < TimeSpan.FromSeconds(10))
        {
            try
            {
                await stream.WriteAsync(new byte[] { 0x00, 0x00 }); // a keep-alive
                Assert.Equal("00", (await unsigned.ExchangeAsync(unsigned.NetworkManagement(TestTerminal.NextStan(), "301"))).GetString(39));
                answered++;
                await Task.Delay(100);
            }
            catch (IOException)
            {
                break; // closed by the host
            }
        }

        // The host's clock started as it accepted, a little before this one.
        Assert.InRange(held.Elapsed, SignOnTimeout - TimeSpan.FromMilliseconds(300), SignOnTimeout * 3);
        Assert.True(answered >= 2, $"{answered} echo tests answered before the close");
        Assert.Equal("00", (await signedOn.ExchangeAsync(signedOn.Withdrawal(1_000, TestTerminal.NextStan()))).GetString(39));
        Assert.Equal(1, counters.Count("socketatm.connections.closed_by_host/reason=sign_on_timeout"));
        Assert.Single(sink.Lines, line => line.StartsWith("No terminal signed on within 00:00:02 over the connection from \"127.0.0.1\"", StringComparison.Ordinal));
    }

    private static async Task<(NetworkStream Stream, TcpClient Client)> ConnectAsync(IPEndPoint endPoint, IPAddress? from = null)
    {
        var client = from is null ? new TcpClient { NoDelay = true } : new TcpClient(new IPEndPoint(from, 0)) { NoDelay = true };
        await client.ConnectAsync(endPoint);
        return (client.GetStream(), client);
    }
}
