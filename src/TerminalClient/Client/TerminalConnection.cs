using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using SocketAtm.Client.Diagnostics;
using SocketAtm.Client.Link;

namespace SocketAtm.Client;

/// <summary>
/// The link to the host that one or more terminals share. It connects, signs every terminal on (again after every
/// reconnect), sends an echo when the link has been idle, and when the link drops it reconnects after a back-off
/// pause that doubles per failed attempt. No thread is dedicated to it: everything is asynchronous, and request
/// timeouts of all connections share one timer.
/// </summary>
/// <example>
/// Several terminals over one connection (a load harness):
/// <code>
/// await using var connection = new TerminalConnection(new TerminalConnectionOptions { Port = 8583 });
/// var atm9 = connection.AddTerminal(new TerminalClientOptions { TerminalId = "ATM00009" });
/// var atm10 = connection.AddTerminal(new TerminalClientOptions { TerminalId = "ATM00010" });
/// await connection.StartAsync(cancellationToken);
/// </code>
/// </example>
public sealed class TerminalConnection : IAsyncDisposable
{
    private readonly TerminalConnectionOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _terminalsLock = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly DeadlineSweeper _sweeper;
    private AtmTerminalClient[] _terminals = [];
    private volatile LinkSession? _session;
    private Task? _running;
    private int _state;
    private long _links;
    private int _hostIndex;
    private int _disposed;

    /// <summary>Creates a connection; nothing is opened until <see cref="StartAsync"/>.</summary>
    public TerminalConnection(TerminalConnectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = options.LoggerFactory.CreateLogger("SocketAtm.Client");
        _sweeper = DeadlineSweeper.For(options.TimeProvider);
    }

    /// <summary>Raised (on a pool thread) whenever <see cref="State"/> changes.</summary>
    public event EventHandler? StateChanged;

    /// <summary>Where the link stands now.</summary>
    public LinkState State => (LinkState)Volatile.Read(ref _state);

    /// <summary>How many transports have been opened so far: 1 after the first connect, 2 after the first reconnect, …</summary>
    public long LinksOpened => Interlocked.Read(ref _links);

    /// <summary>The terminals on this connection.</summary>
    public IReadOnlyList<AtmTerminalClient> Terminals => Volatile.Read(ref _terminals);

    /// <summary>Where the connection goes: host and port, or "custom transport".</summary>
    public string Endpoint => _options.OpenStream is null ? $"{(_options.Tls is null ? string.Empty : "tls://")}{CurrentHost.Host}:{CurrentHost.Port}" : "custom transport";

    /// <summary>The host the next connection attempt goes to: the configured one, or a fail-over host.</summary>
    private (string Host, int Port) CurrentHost
    {
        get
        {
            var index = Volatile.Read(ref _hostIndex) % (_options.FailoverHosts.Count + 1);
            if (index == 0)
            {
                return (_options.Host, _options.Port);
            }

            var entry = _options.FailoverHosts[index - 1];
            var colon = entry.LastIndexOf(':');
            return colon > 0 && int.TryParse(entry.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture, out var port)
                ? (entry[..colon], port)
                : (entry, _options.Port);
        }
    }

    /// <summary>After a failed attempt or a lost link, the next attempt goes to the next host in the list.</summary>
    private void FailOver()
    {
        if (_options.FailoverHosts.Count > 0)
        {
            Interlocked.Increment(ref _hostIndex);
        }
    }

    internal TerminalConnectionOptions Options => _options;

    internal ILogger Logger => _logger;

    internal StateSignal Changed { get; } = new();

    /// <summary>The open transport, or null between links.</summary>
    internal LinkSession? CurrentSession => _session;

    /// <summary>
    /// Adds a terminal. Added before <see cref="StartAsync"/> it is signed on with the others; added later it is signed on
    /// at once when the link is up (and in any case after every reconnect).
    /// </summary>
    public AtmTerminalClient AddTerminal(TerminalClientOptions options) => AddTerminal(options, ownsConnection: false);

    /// <summary>
    /// Starts connecting (and reconnecting, until disposed) and waits until the link is up and every terminal has been
    /// through sign-on. <paramref name="cancellationToken"/> ends the wait, not the connection.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        lock (_terminalsLock)
        {
            _running ??= Task.Run(SuperviseAsync, CancellationToken.None);
        }

        while (true)
        {
            var changed = Changed.Next;
            if (State == LinkState.Online)
            {
                return;
            }

            ObjectDisposedException.ThrowIf(State == LinkState.Closed, this);
            await changed.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Waits for unacknowledged reversals (up to <see cref="TerminalConnectionOptions.SignOffTimeout"/> plus each
    /// terminal's request timeout), signs every terminal off, and closes the link for good.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        var terminals = Terminals;
        await Task.WhenAll(terminals.Select(t => t.DrainReversalsAsync()));
        await _stopping.CancelAsync();
        var session = _session;
        if (session is not null && !session.IsClosed)
        {
            await Task.WhenAll(terminals.Select(t => t.SignOffOverAsync(session)));
        }

        session?.Abort();
        if (_running is not null)
        {
            await _running;
        }

        foreach (var terminal in terminals)
        {
            await terminal.CloseAsync();
        }

        SetState(LinkState.Closed);
        _stopping.Dispose();
    }

    internal AtmTerminalClient AddTerminal(TerminalClientOptions options, bool ownsConnection)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var terminal = new AtmTerminalClient(this, options, ownsConnection);
        lock (_terminalsLock)
        {
            if (_terminals.Any(t => t.TerminalId == terminal.TerminalId))
            {
                throw new ArgumentException($"Terminal {terminal.TerminalId} is already on this connection.", nameof(options));
            }

            _terminals = [.. _terminals, terminal];
        }

        var session = _session;
        if (session is not null && State == LinkState.Online)
        {
            _ = terminal.SignOnOverAsync(session);
        }

        return terminal;
    }

    internal void RemoveTerminal(AtmTerminalClient terminal)
    {
        lock (_terminalsLock)
        {
            _terminals = [.. _terminals.Where(t => !ReferenceEquals(t, terminal))];
        }
    }

    private async Task SuperviseAsync()
    {
        var stopping = _stopping.Token;
        var failures = 0;
        while (!stopping.IsCancellationRequested)
        {
            SetState(LinkState.Connecting);
            LinkSession? session = null;
            var wasOnline = false;
            try
            {
                var stream = await OpenAsync(stopping);
                session = new LinkSession(Interlocked.Increment(ref _links), stream, _options.MaxFrameLength, _options.TimeProvider, _logger);
                session.Start();
                _sweeper.Watch(session);
                _session = session;
                Log.Connected(_logger, Endpoint, session.Id);
                SetState(LinkState.SigningOn);
                var signOns = await Task.WhenAll(Terminals.Select(t => t.SignOnOverAsync(session)));
                if (!session.IsClosed)
                {
                    wasOnline = true;
                    if (signOns.Any(result => result.IsApproved))
                    {
                        failures = 0;
                    }

                    SetState(LinkState.Online);
                    await Task.WhenAll(session.Reading, EchoWhenIdleAsync(session));
                }
            }
            catch (Exception exception) when (!stopping.IsCancellationRequested)
            {
                // Refused, unreachable, timed out, TLS failed: all mean "try again later", never "stop".
                failures++;
                Log.ConnectFailed(_logger, Endpoint, exception.Message, NextDelay(failures));
                FailOver();
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                break;
            }
            finally
            {
                if (session is not null)
                {
                    _session = null;
                    session.Abort();
                    foreach (var terminal in Terminals)
                    {
                        terminal.LinkClosed(session);
                    }

                    _sweeper.Forget(session);
                    await session.DisposeAsync();
                    Changed.Pulse();
                }
            }

            if (stopping.IsCancellationRequested)
            {
                break;
            }

            SetState(LinkState.Disconnected);
            if (wasOnline)
            {
                FailOver();
                failures++;
                Log.LinkLost(_logger, session!.Id, NextDelay(failures));
            }

            try
            {
                await Task.Delay(NextDelay(failures), _options.TimeProvider, stopping);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task<Stream> OpenAsync(CancellationToken stopping)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        attempt.CancelAfter(_options.ConnectTimeout);
        try
        {
            if (_options.OpenStream is { } open)
            {
                return await open(attempt.Token);
            }

            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                if (_options.LocalAddress is { } local)
                {
                    socket.Bind(new IPEndPoint(local, 0));
                }

                var (host, port) = CurrentHost;
                await socket.ConnectAsync(host, port, attempt.Token);
                var network = new NetworkStream(socket, ownsSocket: true);
                return _options.Tls is { } tls ? await tls.AuthenticateAsync(network, host, attempt.Token) : network;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            throw new TimeoutException($"No connection within {_options.ConnectTimeout}.");
        }
    }

    /// <summary>The n-th pause: doubling from the first, capped, with ±20 % jitter so many terminals do not reconnect in step.</summary>
    private TimeSpan NextDelay(int failures)
    {
        var exponent = Math.Clamp(failures - 1, 0, 16);
        var ticks = Math.Min(_options.ReconnectDelay.Ticks * (1L << exponent), _options.MaxReconnectDelay.Ticks);
        var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
        return TimeSpan.FromTicks((long)(ticks * jitter));
    }

    private async Task EchoWhenIdleAsync(LinkSession session)
    {
        var interval = _options.EchoInterval;
        if (interval == Timeout.InfiniteTimeSpan)
        {
            return;
        }

        var time = _options.TimeProvider;
        try
        {
            while (!session.IsClosed)
            {
                var idle = time.GetElapsedTime(session.LastSentTimestamp);
                if (idle < interval)
                {
                    await Task.Delay(interval - idle, time, session.Closed);
                    continue;
                }

                var terminal = Terminals.FirstOrDefault(t => t.IsSignedOnOver(session));
                if (terminal is null)
                {
                    await session.SendKeepAliveAsync();
                    continue;
                }

                await terminal.EchoOverAsync(session, dropLinkIfUnanswered: true);
            }
        }
        catch (OperationCanceledException)
        {
            // The link closed.
        }
    }

    private void SetState(LinkState state)
    {
        if (Interlocked.Exchange(ref _state, (int)state) != (int)state)
        {
            Changed.Pulse();
            StateChanged?.Invoke(this, EventArgs.Empty);
        }
    }
}
