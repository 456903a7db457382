using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SocketAtm.Server.Diagnostics;
using SocketAtm.Server.Routing;

namespace SocketAtm.Server.Upstream;

/// <summary>
/// Every configured route and the BIN table over them; started and stopped with the host. At start each route's
/// connections begin connecting (the host does not wait for an issuer: a request meanwhile is not sent, 91); at stop
/// new requests are refused, each signed-on connection signs off, then the connections close.
/// </summary>
internal sealed class IssuerRoutes : IHostedService, IAsyncDisposable
{
    /// <summary>The longest a graceful stop waits for the issuers' answers to the sign-offs.</summary>
    public static readonly TimeSpan SignOffTimeout = TimeSpan.FromSeconds(2);

    private readonly BinTable<IssuerRoute> _bins;
    private readonly string? _statusFile;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly bool _isDemo;
    private readonly Lock _statusLock = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _running = [];

    /// <param name="statusFile">Where the link state is written for <c>admin routes</c>; null writes none.</param>
    public IssuerRoutes(RoutingOptions options, int maxFrameLength, TimeProvider time, UpstreamMetrics metrics, ILoggerFactory loggers, string? statusFile)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        _time = time;
        _statusFile = statusFile;
        _isDemo = options.IsDemo;
        _logger = loggers.CreateLogger<IssuerRoutes>();
        var logLimit = new LogRateLimit(time);
        var routes = new List<IssuerRoute>();
        for (var index = 0; index < options.Routes.Count; index++)
        {
            var route = options.Routes[index];
            var context = new RouteContext(route.Name!, route.Connections, route.MaxInFlight, maxFrameLength, time, metrics, logLimit, _logger);
            routes.Add(new IssuerRoute(route, RoutingOptionsValidator.Setting(index), context));
        }

        Routes = routes;
        _bins = new BinTable<IssuerRoute>(routes.SelectMany(route => route.Bins.Select(bin => (bin, route))));
        foreach (var route in routes)
        {
            route.LinkState.Changed += _ => WriteStatus(running: true);
            route.Breaker.Changed += () => WriteStatus(running: true);
        }
    }

    public IReadOnlyList<IssuerRoute> Routes { get; }

    /// <summary>The route of <paramref name="pan"/> by its longest matching BIN; false when no route takes it (answered 14).</summary>
    public bool TryFind(ReadOnlySpan<char> pan, out IssuerRoute route) => _bins.TryFind(pan, out route);

    public IssuerRoute? Find(string name) => Routes.FirstOrDefault(route => string.Equals(route.Name, name, StringComparison.Ordinal));

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var route in Routes)
        {
            UpstreamLog.RouteConfigured(_logger, route.Name, route.Bins.Count, string.Join(", ", route.Endpoints), route.Connections.Count, route.AcquirerId);
            if (_isDemo)
            {
                UpstreamLog.DemoRoute(_logger, route.Name, string.Join(", ", route.Bins), string.Join(", ", route.Endpoints));
            }

            foreach (var connection in route.Connections)
            {
                _running.Add(Task.Run(() => connection.RunAsync(_stopping.Token), CancellationToken.None));
            }
        }

        WriteStatus(running: true);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var route in Routes)
        {
            route.StopAccepting();
        }

        var signOffs = Routes.SelectMany(route => route.Connections.Select(connection =>
            connection.SignOffAsync(route.Timeout < SignOffTimeout ? route.Timeout : SignOffTimeout, cancellationToken)));
        try
        {
            await Task.WhenAll(signOffs);
        }
        catch (OperationCanceledException)
        {
            // The host's stop timeout passed: close without waiting further.
        }

        await _stopping.CancelAsync();
        await Task.WhenAll(_running);
        WriteStatus(running: false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync();
            await Task.WhenAll(_running);
        }

        foreach (var route in Routes)
        {
            route.Dispose();
        }

        _stopping.Dispose();
    }

    /// <summary>The link state of every route now.</summary>
    public LinkStatusSnapshot Snapshot(bool running) =>
        new(_time.GetUtcNow(), running, Environment.ProcessId, [.. Routes.Select(route => route.Status())]);

    private void WriteStatus(bool running)
    {
        if (_statusFile is null)
        {
            return;
        }

        lock (_statusLock)
        {
            try
            {
                LinkStatusFile.Write(_statusFile, Snapshot(running));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                UpstreamLog.StatusFileFailed(_logger, string.Join(",", Routes.Select(route => route.Name)), _statusFile, exception.Message);
            }
        }
    }
}
