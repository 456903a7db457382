using SocketAtm.Client;

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
    /// driven by hand stays with its host.
    /// </summary>
    public static async Task<TerminalPool> OpenAsync(
        IReadOnlyList<HostEndPoint> hosts,
        WorkloadContext context,
        int terminalsPerConnection,
        bool bare,
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

        using var gate = new SemaphoreSlim(ConnectConcurrency);
        var opened = 0;
        var lastReport = Environment.TickCount64;
        async Task Open(Func<Task> connect)
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                await connect();
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
                var terminal = await RawLoadTerminal.ConnectAsync(id, hosts[host].Host, hosts[host].Port, context, bare, cancellationToken);
                lock (lockObject)
                {
                    pool._terminals.Add(terminal);
                }
            }));
        }

        var groups = library.GroupBy(terminal => terminal.Host).SelectMany(
            byHost => byHost.Select(terminal => terminal.Id).Chunk(Math.Max(1, terminalsPerConnection)).Select(chunk => (Host: byHost.Key, Ids: chunk)));
        foreach (var (host, group) in groups)
        {
            tasks.Add(Open(async () =>
            {
                var connection = new TerminalConnection(new TerminalConnectionOptions
                {
                    Host = hosts[host].Host,
                    Port = hosts[host].Port,
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

                using var started = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                started.CancelAfter(TimeSpan.FromSeconds(60));
                await connection.StartAsync(started.Token);
                if (clients.FirstOrDefault(client => !client.IsSignedOn) is { } refused)
                {
                    throw new InvalidOperationException($"Terminal {refused.TerminalId} is not signed on (answer {refused.LastSignOnResponseCode ?? "none"}).");
                }
            }));
        }

        try
        {
            await Task.WhenAll(tasks);
        }
        catch
        {
            await pool.DisposeAsync();
            throw;
        }

        return pool;
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
