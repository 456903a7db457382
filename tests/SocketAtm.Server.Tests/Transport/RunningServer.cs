using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Server.Transport;
using SocketAtm.Testing;

namespace SocketAtm.Server.Tests.Transport;

/// <summary>
/// The real host (configuration, LiteDB ledger, socket listener) on a free loopback port, with its log lines and its own
/// counters captured, and a bare TCP client for the tests.
/// </summary>
internal sealed class RunningServer : IAsyncDisposable
{
    private readonly RunningHost _host;
    private readonly CounterTotals _counters;

    private RunningServer(RunningHost host, LineSink lines)
    {
        _host = host;
        Lines = lines.Lines;
        _counters = new CounterTotals(host.Services.GetRequiredService<IMeterFactory>());
    }

    public IPEndPoint EndPoint => Listener.BoundEndPoint!;

    public TerminalListener Listener => _host.Services.GetRequiredService<TerminalListener>();

    public ConcurrentQueue<string> Lines { get; }

    public static async Task<RunningServer> StartAsync(params string[] settings)
    {
        var lines = new LineSink();
        var host = await RunningHost.StartWithServicesAsync(
            services => services.AddSingleton<ILogEventSink>(lines), ["--Serilog:MinimumLevel:Default=Information", .. settings]);
        return new RunningServer(host, lines);
    }

    /// <summary>The total recorded on counters whose name and tags start with <paramref name="prefix"/>.</summary>
    public long Count(string prefix) => _counters.Count(prefix);

    /// <summary>A TCP connection to the host from <paramref name="localAddress"/> (any loopback address works on Linux).</summary>
    public async Task<TcpClient> ConnectAsync(string localAddress = "127.0.0.1")
    {
        var client = new TcpClient(new IPEndPoint(IPAddress.Parse(localAddress), 0)) { NoDelay = true };
        await client.ConnectAsync(EndPoint);
        return client;
    }

    /// <summary>
    /// True when a connection from <paramref name="localAddress"/> is closed by the host before any answer. On loopback the
    /// host's reset may even beat the client's view of its own connect.
    /// </summary>
    public async Task<bool> IsRefusedAsync(string localAddress, int stan)
    {
        TcpClient client;
        try
        {
            client = await ConnectAsync(localAddress);
        }
        catch (SocketException)
        {
            return true;
        }

        using (client)
        {
            return await EchoAsync(client, stan) is null;
        }
    }

    /// <summary>Sends an echo for ATM00009 and returns DE 39 of the answer, or null when the host closed the connection instead.</summary>
    public static async Task<string?> EchoAsync(TcpClient client, int stan)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(Fuzz.SeedFrames.Echo("ATM00009", stan), timeout.Token);
            var header = new byte[2];
            await stream.ReadExactlyAsync(header, timeout.Token);
            var payload = new byte[BinaryPrimitives.ReadUInt16BigEndian(header)];
            await stream.ReadExactlyAsync(payload, timeout.Token);
            var response = new IsoMessage();
            Assert.True(IsoMessageParser.TryParse(payload, response, out var error), error.ToString());
            return response.GetString(39);
        }
        catch (Exception exception) when (exception is IOException or SocketException or EndOfStreamException)
        {
            return null;
        }
    }

    /// <summary>Waits (bounded) for the host to see <paramref name="count"/> connections open: a client's connect completes before the host accepts.</summary>
    public async Task WaitForOpenConnectionsAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Listener.OpenConnections != count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
        }

        Assert.Equal(count, Listener.OpenConnections);
    }

    public async ValueTask DisposeAsync()
    {
        _counters.Dispose();
        await _host.DisposeAsync();
    }

    private sealed class LineSink : ILogEventSink
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public void Emit(LogEvent logEvent) => Lines.Enqueue($"{logEvent.Level} {logEvent.RenderMessage()}");
    }
}
