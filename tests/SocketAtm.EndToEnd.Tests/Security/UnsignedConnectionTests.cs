using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Text;
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
        var unsigned = await TestTerminal.AttachAsync(stream, client, signOn: false);

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
            catch (Exception exception) when (IsClosed(exception))
            {
                break; // closed by the host
            }
        }

        await DisposeClosedAsync(unsigned);

        // The host's clock started as it accepted, a little before this one.
        // The upper bound leaves room for a loaded CI machine; the loop itself would give up at 10 s.
        Assert.InRange(held.Elapsed, SignOnTimeout - TimeSpan.FromMilliseconds(300), SignOnTimeout * 4);
        Assert.True(answered >= 1, $"{answered} echo tests answered before the close");
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
        // Both refusals are counted; the second from the address within a minute is not logged (a remote party could flood the log).
        Assert.Single(sink.Lines, line => line.Contains("connections from this address have no terminal signed on yet, the cap is 2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Behind_a_trusted_proxy_the_caps_count_the_address_its_header_names_and_anyone_else_is_refused()
    {
        var sink = new CapturingSink();
        await using var host = await RunningHost.StartWithServicesAsync(
            services => services.AddSingleton<ILogEventSink>(sink),
            [.. OffLoopbackRelaxations.Demo(), "--Listener:ProxyProtocol=On", "--Listener:TrustedProxies:0=127.0.0.1/32", "--Listener:MaxUnsignedConnectionsPerAddress=1"]);
        using var counters = new CounterTotals(host.Services.GetRequiredService<IMeterFactory>());

        // Every connection below comes from the proxy, 127.0.0.1; only its header tells the terminals apart.
        await using (var atm = await ThroughProxyAsync(host.EndPoint, V1("203.0.113.9"), signOn: true))
        {
            Assert.Equal("00", (await atm.ExchangeAsync(atm.Withdrawal(1_000, TestTerminal.NextStan()))).GetString(39));
        }

        await using var unsigned = await ThroughProxyAsync(host.EndPoint, V1("198.51.100.1"));
        Assert.False(await IsServedThroughProxyAsync(host.EndPoint, V1("198.51.100.1"))); // that address's second unsigned connection
        await using var another = await ThroughProxyAsync(host.EndPoint, V1("198.51.100.2"));
        await using var ipv6 = await ThroughProxyAsync(host.EndPoint, V2Proxied(IPAddress.Parse("2001:db8:7:7::1")));
        Assert.False(await IsServedThroughProxyAsync(host.EndPoint, V2Proxied(IPAddress.Parse("2001:db8:7:7::2")))); // the same /64
        await using var healthCheck = await ThroughProxyAsync(host.EndPoint, V2Local); // the proxy's own address

        Assert.False(await IsServedThroughProxyAsync(host.EndPoint, V1("192.0.2.3"), from: IPAddress.Parse("127.0.0.2"))); // not a trusted proxy
        Assert.False(await IsServedThroughProxyAsync(host.EndPoint, [])); // no header at all: the frame is no PROXY signature
        Assert.Equal("00", await EchoAsync(unsigned));
        Assert.Equal(2, counters.Count("socketatm.connections.refused/reason=max_unsigned_connections_per_address"));
        Assert.Equal(1, counters.Count("socketatm.connections.refused/reason=untrusted_proxy"));
        Assert.Equal(1, counters.Count("socketatm.connections.refused/reason=proxy_header_wrong_signature"));
        Assert.Single(sink.Lines, line => line.Contains("\"198.51.100.1:", StringComparison.Ordinal) && line.Contains("no terminal signed on yet", StringComparison.Ordinal));
        Assert.Single(sink.Lines, line => line.Contains("is not one of Listener:TrustedProxies", StringComparison.Ordinal) && line.Contains("127.0.0.2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Behind_a_proxy_a_late_header_is_a_bounded_disconnect_and_the_sign_on_timeout_names_the_terminals_address()
    {
        var sink = new CapturingSink();
        await using var host = await RunningHost.StartWithServicesAsync(
            services => services.AddSingleton<ILogEventSink>(sink),
            [.. OffLoopbackRelaxations.Demo(), "--Listener:ProxyProtocol=On", "--Listener:TrustedProxies:0=127.0.0.0/8", "--Listener:ProxyHeaderTimeout=00:00:01", "--Listener:SignOnTimeout=00:00:01"]);
        using var counters = new CounterTotals(host.Services.GetRequiredService<IMeterFactory>());
        await using var quiet = await ThroughProxyAsync(host.EndPoint, V1("192.0.2.44"));
        var (slow, client) = await ConnectAsync(host.EndPoint);
        using var slowClient = client;
        await slow.WriteAsync("PROXY TCP4 192.0.2.45 "u8.ToArray());

        var closed = Stopwatch.StartNew();
        Assert.Equal(0, await slow.ReadAsync(new byte[16]).AsTask().WaitAsync(TimeSpan.FromSeconds(10))); // the host closes it
        Assert.InRange(closed.Elapsed, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5));
        await WaitForAsync(() => counters.Count("socketatm.connections.closed_by_host/reason=sign_on_timeout") == 1);

        Assert.Equal(1, counters.Count("socketatm.connections.refused/reason=proxy_header_timeout"));
        Assert.Single(sink.Lines, line => line.StartsWith("No terminal signed on within 00:00:01 over the connection from \"192.0.2.44\"", StringComparison.Ordinal));
        Assert.Contains("ProxyAddress=\"127.0.0.1:", sink.Lines.Single(line => line.StartsWith("No terminal signed on", StringComparison.Ordinal)), StringComparison.Ordinal); // the connection's scope
    }

    private static byte[] V1(string source) => Encoding.ASCII.GetBytes($"PROXY TCP4 {source} 127.0.0.1 40000 8583\r\n");

    private static byte[] V2Header(byte command, byte family, byte[] block) =>
        [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, command, family, (byte)(block.Length >> 8), (byte)block.Length, .. block];

    private static byte[] V2Proxied(IPAddress ipv6Source) =>
        V2Header(0x21, 0x21, [.. ipv6Source.GetAddressBytes(), .. IPAddress.IPv6Loopback.GetAddressBytes(), 0x9C, 0x40, 0x21, 0x87]);

    private static byte[] V2Local => V2Header(0x20, 0x00, []);

    /// <summary>A connection from the proxy (127.0.0.1 unless <paramref name="from"/>) that sends <paramref name="header"/>, then answers an echo test.</summary>
    private static async Task<TestTerminal> ThroughProxyAsync(IPEndPoint endPoint, byte[] header, bool signOn = false, IPAddress? from = null)
    {
        var (stream, client) = await ConnectAsync(endPoint, from ?? IPAddress.Loopback);
        await stream.WriteAsync(header);
        return await EchoedAsync(await TestTerminal.AttachAsync(stream, client, signOn: signOn));
    }

    private static async Task<bool> IsServedThroughProxyAsync(IPEndPoint endPoint, byte[] header, IPAddress? from = null)
    {
        try
        {
            await using var terminal = await ThroughProxyAsync(endPoint, header, from: from);
            return true;
        }
        catch (Exception exception) when (IsClosed(exception))
        {
            return false;
        }
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "the condition never held");
            await Task.Delay(20);
        }
    }

    /// <summary>A connection from <paramref name="from"/> that answers an echo test: admitted, and not signed on.</summary>
    private static async Task<TestTerminal> UnsignedAsync(IPEndPoint endPoint, IPAddress from)
    {
        var (stream, client) = await ConnectAsync(endPoint, from);
        return await EchoedAsync(await TestTerminal.AttachAsync(stream, client, signOn: false));
    }

    /// <summary>False when the host closes a new connection from <paramref name="from"/> instead of answering its echo test.</summary>
    private static async Task<bool> IsServedAsync(IPEndPoint endPoint, IPAddress from)
    {
        try
        {
            await using var terminal = await UnsignedAsync(endPoint, from);
            return true;
        }
        catch (Exception exception) when (IsClosed(exception))
        {
            return false;
        }
    }

    /// <summary><paramref name="terminal"/> once its echo test is answered 00; disposed when it is not.</summary>
    private static async Task<TestTerminal> EchoedAsync(TestTerminal terminal)
    {
        try
        {
            Assert.Equal("00", await EchoAsync(terminal));
            return terminal;
        }
        catch
        {
            await DisposeClosedAsync(terminal);
            throw;
        }
    }

    /// <summary>Disposes a terminal whose connection the host closed, maybe in the middle of a send whose bytes it then cannot flush.</summary>
    private static async Task DisposeClosedAsync(TestTerminal terminal)
    {
        try
        {
            await terminal.DisposeAsync();
        }
        catch (Exception exception) when (IsClosed(exception))
        {
            // Already gone.
        }
    }

    /// <summary>What a connection the host has closed (or reset, even before the connect completed) throws.</summary>
    private static bool IsClosed(Exception exception) => exception is IOException or SocketException or ObjectDisposedException;

    private static async Task<string?> EchoAsync(TestTerminal terminal) =>
        (await terminal.ExchangeAsync(terminal.NetworkManagement(TestTerminal.NextStan(), "301"))).GetString(39);

    private static async Task<(NetworkStream Stream, TcpClient Client)> ConnectAsync(IPEndPoint endPoint, IPAddress? from = null)
    {
        var client = from is null ? new TcpClient { NoDelay = true } : new TcpClient(new IPEndPoint(from, 0)) { NoDelay = true };
        await client.ConnectAsync(endPoint);
        return (client.GetStream(), client);
    }
}
