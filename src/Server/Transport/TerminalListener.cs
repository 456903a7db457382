using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SocketAtm.Server.Diagnostics;
using SocketAtm.Server.Sessions;

namespace SocketAtm.Server.Transport;

/// <summary>
/// Accepts terminal connections on TCP (Kestrel's socket transport gives each one a pooled, back-pressured
/// <see cref="System.IO.Pipelines.IDuplexPipe"/>) and runs a <see cref="TerminalSession"/> per connection.
/// Stops in three phases: stop accepting; let sessions answer what they have in flight, for a bounded time; abort the rest.
/// </summary>
internal sealed class TerminalListener : IHostedService, IAsyncDisposable
{
    private const string MaxConnectionsReason = "max_connections";

    private readonly ListenerOptions _options;
    private readonly TlsOptions _tlsOptions;
    private readonly IServiceProvider _provider;
    private SessionServices _services = null!;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<long, OpenConnection> _open = new();
    private readonly AddressCaps _addressCaps;

    /// <summary>Refused connections' log lines, which anyone who can reach the port can cause at will: one per address and cap a minute.</summary>
    private LogRateLimit _refusalLog = null!;
    private readonly CancellationTokenSource _stopping = new();
    private TlsAcceptor? _tls;
    private ProxyProtocolAcceptor? _proxy;
    private IConnectionListener? _listener;
    private Task? _accepting;
    private long _nextConnectionId;

    public TerminalListener(IOptions<ListenerOptions> options, IOptions<TlsOptions> tlsOptions, IServiceProvider provider, ILoggerFactory loggerFactory)
    {
        _options = options.Value;
        _tlsOptions = tlsOptions.Value;
        _provider = provider;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<TerminalListener>();
        _addressCaps = new AddressCaps(_options.MaxConnectionsPerAddress, _options.MaxUnsignedConnectionsPerAddress);
    }

    /// <summary>The endpoint actually bound (useful with port 0).</summary>
    public IPEndPoint? BoundEndPoint => _listener?.EndPoint as IPEndPoint;

    /// <summary>True from the moment the port is bound until the host starts to stop (<c>/readyz</c>).</summary>
    public bool IsAccepting => _listener is not null && !_stopping.IsCancellationRequested;

    /// <summary>Connections open now.</summary>
    public int OpenConnections => _open.Count;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Resolved now, not in the constructor: the session pipeline needs the ledger, which opens in an earlier hosted service.
        _services = _provider.GetRequiredService<SessionServices>();
        _refusalLog = new LogRateLimit(_services.Time);
        if (_tlsOptions.Enabled)
        {
            _tls = new TlsAcceptor(_tlsOptions, ConnectionBufferLimit, _services.Metrics, _logger);
            var certificate = _tls.Certificate;
            Log.TlsEnabled(_logger, certificate.Subject, certificate.Thumbprint, certificate.NotAfter.ToUniversalTime(), DescribeClientCertificates());
            if (certificate.NotAfter.ToUniversalTime() < _services.Time.GetUtcNow().UtcDateTime.AddDays(30))
            {
                Log.TlsCertificateExpiring(_logger, certificate.Subject, certificate.NotAfter.ToUniversalTime());
            }
        }

        if (_options.ProxyProtocol == ProxyProtocolMode.On)
        {
            _proxy = new ProxyProtocolAcceptor(_options, _services.Metrics, _logger);
            Log.ProxyProtocolEnabled(_logger, _proxy.Describe());
        }

        var transport = new SocketTransportFactory(
            Options.Create(new SocketTransportOptions
            {
                NoDelay = true,

                // Bounded per-connection buffers: a terminal that floods or never reads cannot grow host memory.
                MaxReadBufferSize = ConnectionBufferLimit,
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

        // Handshakes in progress end now (they carry no request yet); a session that starts after this stops at once.
        await _stopping.CancelAsync();
        var open = _open.Values.ToArray();
        if (open.Length > 0)
        {
            Log.Draining(_logger, open.Length, _options.DrainTimeout);
            foreach (var connection in open)
            {
                connection.Session?.StopReading();
            }

            try
            {
                await Task.WhenAll(open.Select(o => o.Running)).WaitAsync(_options.DrainTimeout, cancellationToken);
            }
            catch (Exception exception) when (exception is TimeoutException or OperationCanceledException)
            {
                var stragglers = _open.Values.ToArray();
                Log.AbortingAfterDrain(_logger, stragglers.Length);
                foreach (var straggler in stragglers)
                {
                    straggler.Session?.Abort();
                    straggler.Connection.Abort(new ConnectionAbortedException("Host stopping: drain timeout."));
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

        _tls?.Dispose();
        _stopping.Dispose();
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
                if (ShouldLogRefusal((connection.RemoteEndPoint as IPEndPoint)?.Address, MaxConnectionsReason))
                {
                    Log.ConnectionRefused(_logger, connection.RemoteEndPoint?.ToString(), _open.Count, _options.MaxConnections);
                }

                await RefuseAsync(connection, MaxConnectionsReason);
                continue;
            }

            var peer = connection.RemoteEndPoint as IPEndPoint;
            AddressCaps.Place? place = null;
            if (_proxy is not null)
            {
                // Behind a proxy the terminal's address is known only from the header: the caps are applied once it is read.
                if (!_proxy.Admits(peer))
                {
                    await RefuseAsync(connection, ProxyProtocolAcceptor.UntrustedProxyReason);
                    continue;
                }
            }
            else if (peer is not null && !TryAdmit(peer.Address, connection.RemoteEndPoint, out place, out var refusedFor))
            {
                await RefuseAsync(connection, refusedFor);
                continue;
            }

            // Registers the connection before its first await, so the caps above always count it.
            _ = RunConnectionAsync(Interlocked.Increment(ref _nextConnectionId), connection, place);
        }
    }

    /// <summary>Takes the connection's places under the per-address caps, or logs which cap refuses it.</summary>
    /// <param name="remote">The terminal's end point as logged: the TCP peer, or behind a proxy the header's source.</param>
    private bool TryAdmit(IPAddress address, EndPoint? remote, out AddressCaps.Place? place, out string refusedFor)
    {
        if (_addressCaps.TryAdmit(address, out place, out refusedFor, out var open))
        {
            return true;
        }

        if (!ShouldLogRefusal(address, refusedFor))
        {
            return false;
        }

        if (refusedFor == AddressCaps.PerAddressReason)
        {
            Log.ConnectionRefusedPerAddress(_logger, remote?.ToString(), open, _addressCaps.MaxPerAddress);
        }
        else
        {
            Log.ConnectionRefusedUnsignedPerAddress(_logger, remote?.ToString(), open, _addressCaps.MaxUnsignedPerAddress);
        }

        return false;
    }

    /// <summary>True when a refusal for <paramref name="reason"/> from <paramref name="address"/> is to be logged (the first a minute), after the count of those that were not.</summary>
    private bool ShouldLogRefusal(IPAddress? address, string reason) =>
        _refusalLog.ShouldLog(_logger, address is null ? null : RemoteAddressKey.Of(address), reason);

    /// <summary>
    /// Behind a proxy: reads the header and admits the terminal's address it names under the per-address caps (the
    /// proxy's own for LOCAL and UNKNOWN); null when the connection is to close (already logged and counted).
    /// </summary>
    private async Task<(IPEndPoint Remote, AddressCaps.Place Place)?> AdmitThroughProxyAsync(ConnectionContext connection, IPEndPoint proxy)
    {
        var header = await _proxy!.ReadHeaderAsync(connection.Transport.Input, proxy, _stopping.Token);
        if (header is not { } read)
        {
            return null;
        }

        var remote = read.Source ?? proxy;
        if (!TryAdmit(remote.Address, remote, out var place, out var refusedFor))
        {
            _services.Metrics.ConnectionRefused(refusedFor);
            return null;
        }

        return (remote, place!);
    }

    private async Task RefuseAsync(ConnectionContext connection, string reason)
    {
        _services.Metrics.ConnectionRefused(reason);
        connection.Abort(new ConnectionAbortedException("Connection cap reached."));
        await connection.DisposeAsync();
    }

    /// <param name="place">The connection's places under the per-address caps; behind a proxy, taken here once the header names the terminal.</param>
    private async Task RunConnectionAsync(long id, ConnectionContext connection, AddressCaps.Place? place)
    {
        using var scope = _logger.BeginScope(new Dictionary<string, object> { ["ConnectionId"] = id });
        var open = new OpenConnection(connection);
        _open[id] = open;
        _services.Metrics.ConnectionOpened();
        TlsConnection? tls = null;
        IDisposable? remoteScope = null;
        try
        {
            var remote = connection.RemoteEndPoint as IPEndPoint;
            if (_proxy is not null)
            {
                // Admitted only from a trusted proxy, which has an IP end point.
                var proxied = await AdmitThroughProxyAsync(connection, remote!);
                if (proxied is not { } admitted)
                {
                    return;
                }

                (remote, place) = admitted;
                remoteScope = _logger.BeginScope(new Dictionary<string, object> { ["RemoteAddress"] = remote.Address.ToString(), ["ProxyAddress"] = connection.RemoteEndPoint?.ToString() ?? "?" });
                Log.ConnectionAcceptedThroughProxy(_logger, remote.ToString(), connection.RemoteEndPoint?.ToString());
            }
            else
            {
                remoteScope = _logger.BeginScope(new Dictionary<string, object> { ["RemoteAddress"] = remote?.Address.ToString() ?? "?" });
                Log.ConnectionAccepted(_logger, connection.RemoteEndPoint?.ToString());
            }

            var transport = connection.Transport;
            if (_tls is not null)
            {
                tls = await _tls.AuthenticateAsync(connection, _stopping.Token);
                if (tls is null)
                {
                    return; // refused: logged and counted by the acceptor
                }

                transport = tls;
            }

            using var session = _services.Open(id, transport, tls?.BoundTerminals is { } bound ? bound.Contains : null, remote?.Address.ToString(), place is null ? null : place.SignedOn);
            open.Attach(session);
            if (_stopping.IsCancellationRequested)
            {
                session.StopReading(); // the stop began during the handshake and did not see this session
            }

            await session.RunAsync();
        }
        finally
        {
            _open.TryRemove(id, out _);
            if (tls is not null)
            {
                await tls.DisposeAsync();
            }

            place?.Release();
            remoteScope?.Dispose();
            _services.Metrics.ConnectionClosed();
            await connection.DisposeAsync();
            open.Ended.TrySetResult();
        }
    }

    /// <summary>Plaintext buffered per connection and direction: a terminal that floods or never reads cannot grow host memory.</summary>
    private int ConnectionBufferLimit => Math.Max(_options.MaxFrameLength * 4, 64 * 1024);

    private string DescribeClientCertificates() =>
        !_tlsOptions.RequireClientCertificate ? "not requested"
        : _tlsOptions.BindTerminalsToClientCertificate ? "required and bound to the terminal ids they name"
        : "required";

    /// <summary>A connection the listener tracks; <see cref="Session"/> is null while its TLS handshake runs.</summary>
    private sealed class OpenConnection(ConnectionContext connection)
    {
        public ConnectionContext Connection { get; } = connection;

        private TerminalSession? _session;

        public TerminalSession? Session => Volatile.Read(ref _session);

        public TaskCompletionSource Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Running => Ended.Task;

        // A full fence: the stop either sees this session, or this session sees the stop.
        public void Attach(TerminalSession session) => Interlocked.Exchange(ref _session, session);
    }
}
