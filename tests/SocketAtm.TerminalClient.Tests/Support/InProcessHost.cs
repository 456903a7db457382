using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SocketAtm.Server.Hosting;
using SocketAtm.Server.Transport;

namespace SocketAtm.TerminalClient.Tests.Support;

/// <summary>The real host (LiteDB ledger with the demo data, socket transport) on a free loopback port and a fresh data directory.</summary>
internal sealed class InProcessHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly string _dataDirectory;

    private InProcessHost(IHost host, string dataDirectory, IPEndPoint endPoint)
    {
        _host = host;
        _dataDirectory = dataDirectory;
        EndPoint = endPoint;
    }

    public IPEndPoint EndPoint { get; }

    public int Port => EndPoint.Port;

    /// <summary>Waits until the route <paramref name="name"/> has a connection signed on to its issuer (sign-on follows the start).</summary>
    public Task WaitUntilRouteSignedOnAsync(string name) => Eventually.TrueAsync(
        () => _host.Services.GetRequiredService<Server.Upstream.IssuerRoutes>().Find(name)?.LinkState.Snapshot().SignedOn > 0,
        because: $"route {name} never signed on to its issuer");

    /// <param name="extraArgs">Command-line settings after the defaults, e.g. <c>--Security:AcceptRequestsWithoutTrack2=false</c>.</param>
    public static async Task<InProcessHost> StartAsync(params string[] extraArgs)
    {
        var data = Path.Combine(Path.GetTempPath(), "socketatm-terminal-" + Guid.NewGuid().ToString("N"));
        var host = ServerHost.Build(["--port", "0", "--ops-port", "0", "--data", data, "--Serilog:MinimumLevel:Default=Warning", .. extraArgs]);
        await host.StartAsync();
        return new InProcessHost(host, data, host.Services.GetRequiredService<TerminalListener>().BoundEndPoint!);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }
    }
}
