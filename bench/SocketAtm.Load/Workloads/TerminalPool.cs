using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using SocketAtm.Client;
using SocketAtm.Load.Hosting;

namespace SocketAtm.Load.Workloads;

/// <summary>
/// Opens the fleet's connections — through the client library (several terminals per connection if asked) or by hand —
/// at most <see cref="ConnectConcurrency"/> at a time so the host's accept backlog is not flooded, and closes them all.
/// </summary>
internal sealed class TerminalPool : IAsyncDisposable
{
    private const int ConnectConcurrency = 200;

    private readonly List<TerminalConnection> _connections = [];
    private readonly List<LoadTerminal> _terminals = [];

    private TerminalPool()
    {
    }

    public IReadOnlyList<LoadTerminal> Terminals => _terminals;

    public int Connections => _connections.Count + _terminals.Count(terminal => terminal is RawLoadTerminal);

    /// <summary>
    /// Connects every terminal of the fleet. Echo runs by hand (the same driver as the echo ceiling); the mixed workload
    /// drives every n-th terminal by hand for repeats and duplicates; the rest go through the client library. Terminal i
    /// connects to host i mod the number of hosts; a client-library terminal fails over to the others in turn, one
    /// driven by hand stays with its host. With <paramref name="limits"/> (hosts the harness started, on loopback) a
    /// host's connections are spread over as many loopback source addresses as its per-address cap needs
    /// (<see cref="LoopbackSources"/>), unless <paramref name="spreadSources"/> is off.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// A host closed a connection as soon as it was accepted (a connection cap refused it: the message names the setting),
    /// or a terminal could not sign on. The first such failure stops every other connect.
    /// </exception>
    public static async Task<TerminalPool> OpenAsync(
        IReadOnlyList<HostEndPoint> hosts,
        WorkloadContext context,
        int terminalsPerConnection,
        bool bare,
        HostConnectionLimits? limits,
        bool spreadSources,
        TextWriter log,
        CancellationToken cancellationToken)
    {
        var pool = new TerminalPool();
        var ids = context.Fleet.TerminalIds;
        var raw = new List<(string Id, int Host)>();
        var library = new List<(string Id, int Host)>();
        for (var index = 0; index < ids.Count; index++)
        {
            var byHand = context.Workload == Workload.Echo
                || (context.Workload == Workload.Mixed && index % context.Shares.RawTerminalEvery == context.Shares.RawTerminalEvery - 1);
            // Each kind round-robin on its own: with every 10th terminal driven by hand, one count over all would put
            // every hand-driven terminal (and so every repeat and duplicate) on the same host when N divides 10.
            var kind = byHand ? raw : library;
            kind.Add((ids[index], kind.Count % hosts.Count));
        }

        var groups = library.GroupBy(terminal => terminal.Host).SelectMany(
            byHost => byHost.Select(terminal => terminal.Id).Chunk(Math.Max(1, terminalsPerConnection)).Select(chunk => (Host: byHost.Key, Ids: chunk))).ToList();
        var sources = Enumerable.Range(0, hosts.Count).Select(host => SourcesFor(
            hosts[host], raw.Count(terminal => terminal.Host == host) + groups.Count(group => group.Host == host), limits, spreadSources)).ToArray();
        foreach (var (host, index) in sources.Select((host, index) => (host, index)).Where(pair => pair.host.Count > 1))
        {
            await log.WriteLineAsync($"  connections to {hosts[index]} come from {host.Count} loopback addresses, 127.0.0.1 to {host.ForConnection(host.Count - 1)}: the host takes at most {limits!.MaxConnectionsPerAddress:N0} per address");
        }

        var connectionsTo = new int[hosts.Count];
        IPAddress? NextSource(int host) => sources[host].ForConnection(Interlocked.Increment(ref connectionsTo[host]) - 1);
        var signedOnFrom = new ConcurrentDictionary<IPAddress, int>();
        void SignedOn(IPAddress? source, int host)
        {
            if ((source ?? SystemSource(hosts[host])) is { } address)
            {
                signedOnFrom.AddOrUpdate(address, 1, (_, count) => count + 1);
            }
        }

        // The first failure stops every other connect: a refused fleet says so at once, not after every connect timed out.
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var failures = new ConcurrentQueue<Exception>();
        using var gate = new SemaphoreSlim(ConnectConcurrency);
        var opened = 0;
        var lastReport = Environment.TickCount64;
        async Task Open(Func<Task> connect)
        {
            try
            {
                await gate.WaitAsync(failed.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await connect();
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !failed.IsCancellationRequested)
            {
                failures.Enqueue(exception);
                await failed.CancelAsync();
            }
            catch (OperationCanceledException)
            {
                // Stopped because another connect failed.
            }
            finally
            {
                gate.Release();
                var count = Interlocked.Increment(ref opened);
                var last = Interlocked.Read(ref lastReport);
                if (Environment.TickCount64 - last > 2000 && Interlocked.CompareExchange(ref lastReport, Environment.TickCount64, last) == last)
                {
                    await log.WriteLineAsync($"  {count} connections open");
                }
            }
        }

        var lockObject = new Lock();
        var tasks = new List<Task>();
        foreach (var (id, host) in raw)
        {
            tasks.Add(Open(async () =>
            {
                var source = NextSource(host);
                var terminal = await RawLoadTerminal.ConnectAsync(id, hosts[host], source, context, bare, failed.Token);
                lock (lockObject)
                {
                    pool._terminals.Add(terminal);
                }

                SignedOn(source, host);
            }));
        }

        foreach (var (host, group) in groups)
        {
            tasks.Add(Open(async () =>
            {
                var source = NextSource(host);
                var connection = new TerminalConnection(new TerminalConnectionOptions
                {
                    Host = hosts[host].Host,
                    Port = hosts[host].Port,
                    LocalAddress = source,
                    FailoverHosts = [.. Enumerable.Range(1, hosts.Count - 1).Select(next => hosts[(host + next) % hosts.Count].ToString())],
                    ConnectTimeout = TimeSpan.FromSeconds(30),
                    SignOffTimeout = TimeSpan.FromSeconds(5),
                    Tls = context.Tls,
                });
                var clients = group.Select(id => connection.AddTerminal(new TerminalClientOptions
                {
                    TerminalId = id,
                    UseMac = context.Fleet.Settings.UseMac,
                    AcquirerId = Fleet.Fleet.AcquirerId,
                    RequestTimeout = context.RequestTimeout,
                    ReversalRetryInterval = TimeSpan.FromSeconds(1),
                })).ToList();
                lock (lockObject)
                {
                    pool._connections.Add(connection);
                    pool._terminals.AddRange(clients.Select(client => new LibraryLoadTerminal(client, context)));
                }

                using var started = CancellationTokenSource.CreateLinkedTokenSource(failed.Token);
                started.CancelAfter(TimeSpan.FromSeconds(60));
                using var closedAtAccept = new ClosedAtAcceptWatch(connection);
                var online = connection.StartAsync(started.Token);
                if (await Task.WhenAny(online, closedAtAccept.Closed) != online)
                {
                    // The library would reconnect and be closed again, on and on: the cap will not go away by itself.
                    throw new ClosedAtAcceptException(hosts[host], source ?? SystemSource(hosts[host]));
                }

                await online;
                if (clients.FirstOrDefault(client => !client.IsSignedOn) is { } refused)
                {
                    throw new InvalidOperationException($"Terminal {refused.TerminalId} is not signed on (answer {refused.LastSignOnResponseCode ?? "none"}).");
                }

                SignedOn(source, host);
            }));
        }

        await Task.WhenAll(tasks);
        if (failures.IsEmpty && !cancellationToken.IsCancellationRequested)
        {
            return pool;
        }

        await pool.DisposeAsync();
        cancellationToken.ThrowIfCancellationRequested();

        // A refusal explains the failures it caused on other connections, so it is the one reported.
        var failure = failures.OfType<ClosedAtAcceptException>().FirstOrDefault() ?? failures.First();
        if (failure is ClosedAtAcceptException closed)
        {
            throw new InvalidOperationException(RefusalMessage(closed, signedOnFrom, limits, spreadSources), closed);
        }

        ExceptionDispatchInfo.Throw(failure);
        return pool; // not reached: Throw does not return
    }

    /// <summary>
    /// One line that says a cap refused the fleet and which setting it is — instead of the reconnects, timeouts and broken
    /// pipes that follow when connections are closed at accept.
    /// </summary>
    internal static string RefusalMessage(ClosedAtAcceptException closed, IReadOnlyDictionary<IPAddress, int> signedOnFrom, HostConnectionLimits? limits, bool spreadSources)
    {
        var from = closed.SourceAddress?.ToString() ?? "this machine";
        var open = closed.SourceAddress is { } source ? signedOnFrom.GetValueOrDefault(source) : signedOnFrom.Values.Sum();
        var caps = limits is null
            ? "the host's Listener:MaxConnectionsPerAddress or Listener:MaxConnections"
            : string.Create(CultureInfo.InvariantCulture, $"Listener:MaxConnectionsPerAddress ({limits.MaxConnectionsPerAddress:N0} at this host) or Listener:MaxConnections ({limits.MaxConnections:N0})");
        var remedy = limits is not null && !spreadSources
            ? "; let the harness spread its connections over loopback addresses (leave out --single-source-address), or raise the cap with --host-setting Listener:MaxConnectionsPerAddress=<n>"
            : "; raise it with --host-setting (or in the host's settings), e.g. Listener:MaxConnectionsPerAddress=<n>";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"a connection cap refused the fleet: {closed.Host} closed a connection from {from} as soon as it was accepted, before answering its sign-on ({open:N0} of this run's connections from that address had signed on) — the cap is {caps}{remedy}.");
    }

    private static LoopbackSources SourcesFor(HostEndPoint host, int connections, HostConnectionLimits? limits, bool spreadSources) =>
        limits is not null && spreadSources && SystemSource(host) is not null
            ? LoopbackSources.For(connections, limits.MaxConnectionsPerAddress)
            : LoopbackSources.SystemChoice;

    /// <summary>Where the system's choice of source comes from towards an IPv4 loopback host (the host's own address); null for other hosts.</summary>
    private static IPAddress? SystemSource(HostEndPoint host) =>
        IPAddress.TryParse(host.Host, out var address) && address.AddressFamily == AddressFamily.InterNetwork && IPAddress.IsLoopback(address) ? address : null;

    /// <summary>
    /// Completes <see cref="Closed"/> when a link of <paramref name="connection"/> ends while signing on with no sign-on
    /// answered: the host closed it at accept (or the sign-on found it closed).
    /// </summary>
    private sealed class ClosedAtAcceptWatch : IDisposable
    {
        private readonly TerminalConnection _connection;
        private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private LinkState _last;

        public ClosedAtAcceptWatch(TerminalConnection connection)
        {
            _connection = connection;
            _last = connection.State;
            connection.StateChanged += OnStateChanged;
        }

        public Task Closed => _closed.Task;

        public void Dispose() => _connection.StateChanged -= OnStateChanged;

        // Raised on the connection's own loop, one change at a time.
        private void OnStateChanged(object? sender, EventArgs e)
        {
            var state = _connection.State;
            if (_last == LinkState.SigningOn && state == LinkState.Disconnected && _connection.Terminals.All(terminal => terminal.LastSignOnResponseCode is null))
            {
                _closed.TrySetResult();
            }

            _last = state;
        }
    }

    /// <summary>Waits for reversals, signs every terminal off and closes every connection.</summary>
    public async ValueTask DisposeAsync()
    {
        using var gate = new SemaphoreSlim(ConnectConcurrency * 2);
        async Task Close(Func<ValueTask> close)
        {
            await gate.WaitAsync();
            try
            {
                await close();
            }
            finally
            {
                gate.Release();
            }
        }

        await Task.WhenAll(
            _connections.Select(connection => Close(connection.DisposeAsync))
                .Concat(_terminals.OfType<RawLoadTerminal>().Select(terminal => Close(terminal.DisposeAsync))));
        _connections.Clear();
        _terminals.Clear();
    }
}
