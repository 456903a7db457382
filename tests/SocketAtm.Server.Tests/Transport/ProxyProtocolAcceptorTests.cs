using System.Buffers;
using System.Diagnostics.Metrics;
using System.IO.Pipelines;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SocketAtm.Server.Diagnostics;
using SocketAtm.Server.Hosting;
using SocketAtm.Server.Transport;
using SocketAtm.Testing;

namespace SocketAtm.Server.Tests.Transport;

/// <summary>Behind a proxy: who is believed, how the header is read off the connection, and the settings that say so.</summary>
public sealed class ProxyProtocolAcceptorTests : IDisposable
{
    private static readonly IPEndPoint Proxy = new(IPAddress.Parse("10.0.0.5"), 40000);
    private readonly ServiceProvider _metricsProvider = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly CounterTotals _counters;
    private readonly ProxyProtocolAcceptor _acceptor;

    public ProxyProtocolAcceptorTests()
    {
        var meters = _metricsProvider.GetRequiredService<IMeterFactory>();
        _counters = new CounterTotals(meters);
        var options = new ListenerOptions { ProxyProtocol = ProxyProtocolMode.On, TrustedProxies = ["10.0.0.5", "2001:db8:1::/48"], ProxyHeaderTimeout = TimeSpan.FromSeconds(5) };
        _acceptor = new ProxyProtocolAcceptor(options, new AtmMetrics(meters), NullLogger.Instance);
    }

    [Theory]
    [InlineData("10.0.0.5", true)]
    [InlineData("::ffff:10.0.0.5", true)] // an IPv4 proxy reaching a dual-stack socket
    [InlineData("10.0.0.6", false)]
    [InlineData("2001:db8:1:ffff::1", true)]
    [InlineData("2001:db8:2::1", false)]
    public void Only_the_trusted_proxies_are_admitted(string peer, bool admitted) =>
        Assert.Equal(admitted, _acceptor.Admits(new IPEndPoint(IPAddress.Parse(peer), 40000)));

    [Fact]
    public async Task The_header_is_consumed_and_the_terminals_bytes_stay_for_the_session()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes("PROXY TCP4 203.0.113.9 10.0.0.1 51234 8583\r\n\x00\x00"));

        var header = await _acceptor.ReadHeaderAsync(pipe.Reader, Proxy, CancellationToken.None);

        Assert.Equal(IPAddress.Parse("203.0.113.9"), header!.Value.Source!.Address);
        var rest = await pipe.Reader.ReadAsync();
        Assert.Equal([0x00, 0x00], rest.Buffer.ToArray());
    }

    [Fact]
    public async Task A_header_that_arrives_in_pieces_is_read_whole()
    {
        var pipe = new Pipe();
        var reading = _acceptor.ReadHeaderAsync(pipe.Reader, Proxy, CancellationToken.None);
        foreach (var piece in new[] { "PRO", "XY TCP4 203.0.113.9 10.0.0.1 ", "51234 8583\r", "\n" })
        {
            Assert.False(reading.IsCompleted);
            await pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes(piece));
            await Task.Delay(10);
        }

        Assert.Equal(51234, (await reading)!.Value.Source!.Port);
    }

    [Fact]
    public async Task A_header_cut_off_by_the_proxy_closing_is_refused_and_counted()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes("PROXY TCP4 203.0.113.9"));
        await pipe.Writer.CompleteAsync();

        Assert.Null(await _acceptor.ReadHeaderAsync(pipe.Reader, Proxy, CancellationToken.None));
        Assert.Equal(1, _counters.Count("socketatm.connections.refused/reason=proxy_header_truncated"));
    }

    [Fact]
    public async Task An_oversized_header_is_refused_and_counted_without_waiting_for_its_bytes()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(new byte[] { 0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x21, 0x11, 0xFF, 0xFF });

        Assert.Null(await _acceptor.ReadHeaderAsync(pipe.Reader, Proxy, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2)));
        Assert.Equal(1, _counters.Count("socketatm.connections.refused/reason=proxy_header_oversized"));
    }

    [Fact]
    public async Task A_host_stopping_during_the_header_is_not_counted_as_the_proxys_fault()
    {
        using var stopping = new CancellationTokenSource();
        var pipe = new Pipe();
        var reading = _acceptor.ReadHeaderAsync(pipe.Reader, Proxy, stopping.Token);

        await stopping.CancelAsync();

        Assert.Null(await reading);
        Assert.Equal(0, _counters.Count("socketatm.connections.refused"));
    }

    [Theory]
    [InlineData("10.0.0.5", true)]
    [InlineData(" 10.0.0.0/8 ", true)]
    [InlineData("2001:db8::/32", true)]
    [InlineData("::ffff:10.0.0.0/104", true)]
    [InlineData("10.0.0.5/24", false)] // host bits set: did the operator mean the range or the address?
    [InlineData("10.0.0.0/33", false)]
    [InlineData("proxy.example", false)]
    [InlineData("fe80::1%eth0", false)]
    [InlineData("", false)]
    public void A_trusted_proxy_is_an_address_or_a_cidr_range(string entry, bool valid) =>
        Assert.Equal(valid, TrustedProxies.TryParseEntry(entry, out _));

    [Theory]
    [InlineData("Listener:ProxyProtocol is On but Listener:TrustedProxies names no proxy", "--Listener:ProxyProtocol=On")]
    [InlineData("Listener:TrustedProxies entry 'haproxy' is not an IP address or a CIDR range", "--Listener:ProxyProtocol=On", "--Listener:TrustedProxies:0=haproxy")]
    [InlineData("Listener:ProxyHeaderTimeout must be a positive time span of at most one day", "--Listener:ProxyHeaderTimeout=00:00:00")]
    public void Proxy_settings_that_cannot_work_fail_validation_with_one_readable_line(string expected, params string[] settings)
    {
        using var host = ServerHost.Build(["--data", Path.GetTempPath(), .. settings]);

        var failure = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<ListenerOptions>>().Value);

        Assert.True(StartupFailure.TryDescribe(failure, out var message));
        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_proxy_protocol_is_off_by_default()
    {
        var defaults = new ListenerOptions();

        Assert.Equal(ProxyProtocolMode.Off, defaults.ProxyProtocol);
        Assert.Empty(defaults.TrustedProxies);
    }

    public void Dispose()
    {
        _counters.Dispose();
        _metricsProvider.Dispose();
    }
}
