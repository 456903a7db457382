using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SocketAtm.Server.Hosting;
using SocketAtm.Server.Transport;

namespace SocketAtm.Testing;

/// <summary>
/// The real host — configuration, LiteDB ledger, Kestrel socket transport — on a free loopback port and a
/// fresh data directory; restartable on the same directory.
/// </summary>
public sealed class RunningHost : IAsyncDisposable
{
    private IHost? _host;
    private Action<IServiceCollection>? _services;

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

    /// <summary>Starts a host whose services a test adjusts (e.g. a storage stream that fails on demand).</summary>
    public static async Task<RunningHost> StartWithServicesAsync(Action<IServiceCollection> services, params string[] extraArgs)
    {
        var host = new RunningHost(Path.Combine(Path.GetTempPath(), "socketatm-e2e-" + Guid.NewGuid().ToString("N")));
        host._services = services;
        await host.StartAgainAsync(extraArgs);
        return host;
    }

    /// <summary>Completes when the host stops by itself (for instance after a storage failure).</summary>
    public Task Stopping
    {
        get
        {
            var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var token = Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            token.Register(() => stopping.TrySetResult());
            return stopping.Task;
        }
    }

    /// <param name="extraArgs">Command-line settings, after the defaults (port 0 for terminals and for operations, the data directory, Warning logs), which they override.</param>
    public async Task StartAgainAsync(params string[] extraArgs)
    {
        string[] args = ["--port", "0", "--ops-port", "0", "--data", DataDirectory, "--Serilog:MinimumLevel:Default=Warning", .. extraArgs];
        _host = ServerHost.Build(args, builder => _services?.Invoke(builder.Services));
        await _host.StartAsync();
        EndPoint = _host.Services.GetRequiredService<TerminalListener>().BoundEndPoint!;
    }

    /// <summary>
    /// A graceful stop, as on Ctrl-C, that keeps the stopped host's services (its meters among them) until
    /// <see cref="StopAsync"/> or dispose: what the host records as it closes is still seen.
    /// </summary>
    public Task StopGracefullyAsync() => _host?.StopAsync() ?? Task.CompletedTask;

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
