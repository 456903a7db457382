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
            catch (Exception exception) when (exception is IOException or SocketException)
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

    [Fact]
    public async Task Connections_without_a_signed_on_terminal_are_capped_per_address_and_a_sign_on_frees_its_place()
    {
        var sink = new CapturingSink();
        await using var host = await RunningHost.StartWithServicesAsync(
            services => services.AddSingleton<ILogEventSink>(sink), "--Listener:MaxUnsignedConnectionsPerAddress=2");
        using var counters = new CounterTotals(host.Services.GetRequiredService<IMeterFactory>());
        await using var first = await UnsignedAsync(host.EndPoint, IPAddress.Loopback);
        await using var second = await UnsignedAsync(host.EndPoint, IPAddress.Loopback);

        Assert.False(await IsServedAsync(host.EndPoint, IPAddress.Loopback)); // the third from 127.0.0.1
        await using var elsewhere = await UnsignedAsync(host.EndPoint, IPAddress.Parse("127.0.0.2"));

        Assert.Equal("00", (await first.ExchangeAsync(first.NetworkManagement(TestTerminal.NextStan(), "001"))).GetString(39));
        await using var third = await UnsignedAsync(host.EndPoint, IPAddress.Loopback); // the sign-on gave its place back
        Assert.False(await IsServedAsync(host.EndPoint, IPAddress.Loopback));
        Assert.Equal("00", await EchoAsync(second));
        Assert.Equal("00", (await first.ExchangeAsync(first.Withdrawal(1_000, TestTerminal.NextStan()))).GetString(39));
        Assert.Equal(2, counters.Count("socketatm.connections.refused/reason=max_unsigned_connections_per_address"));
        Assert.Equal(2, sink.Lines.Count(line => line.Contains("connections from this address have no terminal signed on yet, the cap is 2", StringComparison.Ordinal)));
    }

    /// <summary>A connection from <paramref name="from"/> that answers an echo test: admitted, and not signed on.</summary>
    private static async Task<TestTerminal> UnsignedAsync(IPEndPoint endPoint, IPAddress from)
    {
        var (stream, client) = await ConnectAsync(endPoint, from);
        var terminal = await TestTerminal.AttachAsync(stream, client, signOn: false);
        Assert.Equal("00", await EchoAsync(terminal));
        return terminal;
    }

    /// <summary>False when the host closes a new connection from <paramref name="from"/> instead of answering its echo test.</summary>
    private static async Task<bool> IsServedAsync(IPEndPoint endPoint, IPAddress from)
    {
        var (stream, client) = await ConnectAsync(endPoint, from);
        await using var terminal = await TestTerminal.AttachAsync(stream, client, signOn: false);
        try
        {
            return await EchoAsync(terminal) == "00";
        }
        catch (Exception exception) when (exception is IOException or SocketException)
        {
            return false;
        }
    }

    private static async Task<string?> EchoAsync(TestTerminal terminal) =>
        (await terminal.ExchangeAsync(terminal.NetworkManagement(TestTerminal.NextStan(), "301"))).GetString(39);

    private static async Task<(NetworkStream Stream, TcpClient Client)> ConnectAsync(IPEndPoint endPoint, IPAddress? from = null)
    {
        var client = from is null ? new TcpClient { NoDelay = true } : new TcpClient(new IPEndPoint(from, 0)) { NoDelay = true };
        await client.ConnectAsync(endPoint);
        return (client.GetStream(), client);
    }
}
