using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SocketAtm.Server.Hosting;
using SocketAtm.Server.Transport;

namespace SocketAtm.EndToEnd.Tests;

/// <summary>
/// The real host — configuration, LiteDB ledger, Kestrel socket transport — on a free loopback port and a
/// fresh data directory; restartable on the same directory.
/// </summary>
internal sealed class RunningHost : IAsyncDisposable
{
    private IHost? _host;

    private RunningHost(string dataDirectory) => DataDirectory = dataDirectory;

    public string DataDirectory { get; }

    public IPEndPoint EndPoint { get; private set; } = new(IPAddress.Loopback, 0);

    public IServiceProvider Services => _host?.Services ?? throw new InvalidOperationException("The host is stopped.");

    public static async Task<RunningHost> StartAsync(string? dataDirectory = null, params string[] extraArgs)
    {
        var host = new RunningHost(dataDirectory ?? Path.Combine(Path.GetTempPath(), "socketatm-e2e-" + Guid.NewGuid().ToString("N")));
        await host.StartAgainAsync(extraArgs);
        return host;
    }

    public async Task StartAgainAsync(params string[] extraArgs)
    {
        string[] args = ["--port", "0", "--data", DataDirectory, "--Serilog:MinimumLevel:Default=Warning", .. extraArgs];
        _host = ServerHost.Build(args);
        await _host.StartAsync();
        EndPoint = _host.Services.GetRequiredService<TerminalListener>().BoundEndPoint!;
    }

    public async Task StopAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
            _host = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory left behind is harmless.
        }
    }
}
