using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SocketAtm.Server.Diagnostics;
using SocketAtm.Server.Hosting;
using SocketAtm.Server.Sessions;

namespace SocketAtm.Server.Transport;

/// <summary>
/// Accepts terminal connections on TCP (Kestrel's socket transport gives each one a pooled, back-pressured
/// <see cref="System.IO.Pipelines.IDuplexPipe"/>) and runs a <see cref="TerminalSession"/> per connection.
/// Stops in three phases: stop accepting; let sessions answer what they have in flight, for a bounded time; abort the rest.
/// </summary>
internal sealed class TerminalListener : IHostedService, IAsyncDisposable
{
    private readonly ListenerOptions _options;
    private readonly IServiceProvider _provider;
    private SessionServices _services = null!;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<long, (TerminalSession Session, ConnectionContext Connection, Task Running)> _open = new();
    private IConnectionListener? _listener;
    private Task? _accepting;
    private long _nextConnectionId;

    public TerminalListener(IOptions<ListenerOptions> options, IServiceProvider provider, ILoggerFactory loggerFactory)
    {
        _options = options.Value;
        _provider = provider;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<TerminalListener>();
    }

    /// <summary>The endpoint actually bound (useful with port 0).</summary>
    public IPEndPoint? BoundEndPoint => _listener?.EndPoint as IPEndPoint;

    /// <summary>Connections open now.</summary>
    public int OpenConnections => _open.Count;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Resolved now, not in the constructor: the handlers need the ledger, which opens in an earlier hosted service.
        _services = _provider.GetRequiredService<SessionServices>();
        var transport = new SocketTransportFactory(
            Options.Create(new SocketTransportOptions
            {
                NoDelay = true,

                // Bounded per-connection buffers: a terminal that floods or never reads cannot grow host memory.
                MaxReadBufferSize = Math.Max(_options.MaxFrameLength * 4L, 64 * 1024),
                MaxWriteBufferSize = 64 * 1024,
            }),
            _loggerFactory);
        _listener = await transport.BindAsync(new IPEndPoint(_options.GetBindAddress(), _options.Port), cancellationToken);
        Log.ListeningOn(_logger, _listener.EndPoint.ToString() ?? "?");
        _accepting = AcceptLoopAsync(_listener);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_listener is null)
        {
            return;
        }

        await _listener.UnbindAsync(cancellationToken);
        if (_accepting is not null)
        {
            await _accepting;
        }

        Log.StoppedAccepting(_logger);
        var open = _open.Values.ToArray();
        if (open.Length > 0)
        {
            Log.Draining(_logger, open.Length, _options.DrainTimeout);
            foreach (var (session, _, _) in open)
            {
                session.StopReading();
            }

            try
            {
                await Task.WhenAll(open.Select(o => o.Running)).WaitAsync(_options.DrainTimeout, cancellationToken);
            }
            catch (Exception exception) when (exception is TimeoutException or OperationCanceledException)
            {
                var stragglers = _open.Values.ToArray();
                Log.AbortingAfterDrain(_logger, stragglers.Length);
                foreach (var (session, connection, _) in stragglers)
                {
                    session.Abort();
                    connection.Abort(new ConnectionAbortedException("Host stopping: drain timeout."));
                }

                await Task.WhenAll(stragglers.Select(o => o.Running)).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None)
                    .ContinueWith(static _ => { }, TaskScheduler.Default);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_listener is not null)
        {
            await _listener.DisposeAsync();
        }
    }

    private async Task AcceptLoopAsync(IConnectionListener listener)
    {
        while (true)
        {
            ConnectionContext? connection;
            try
            {
                connection = await listener.AcceptAsync();
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (Exception exception)
            {
                // Transient accept failures (e.g. file descriptors exhausted) must not end the listener.
                Log.AcceptFailed(_logger, exception);
                await Task.Delay(TimeSpan.FromMilliseconds(100));
                continue;
            }

            if (connection is null)
            {
                return; // unbound
            }

            if (_open.Count >= _options.MaxConnections)
            {
                Log.ConnectionRefused(_logger, connection.RemoteEndPoint?.ToString(), _open.Count, _options.MaxConnections);
                _services.Metrics.ConnectionRefused();
                connection.Abort(new ConnectionAbortedException("Connection cap reached."));
                await connection.DisposeAsync();
                continue;
            }

            // Registers the session before its first await, so the cap above always counts it.
            _ = RunConnectionAsync(Interlocked.Increment(ref _nextConnectionId), connection);
        }
    }

    private async Task RunConnectionAsync(long id, ConnectionContext connection)
    {
        using var scope = _logger.BeginScope(new Dictionary<string, object> { ["ConnectionId"] = id });
        using var session = new TerminalSession(id, connection.Transport, _services, _options, _loggerFactory.CreateLogger<TerminalSession>());
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _open[id] = (session, connection, completion.Task);
        _services.Metrics.ConnectionOpened();
        try
        {
            Log.ConnectionAccepted(_logger, connection.RemoteEndPoint?.ToString());
            await session.RunAsync();
        }
        finally
        {
            _open.TryRemove(id, out _);
            _services.Metrics.ConnectionClosed();
            await connection.DisposeAsync();
            completion.TrySetResult();
        }
    }
}
