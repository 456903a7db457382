using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using SocketAtm.IssuerSim.Book;
using SocketAtm.IssuerSim.Faults;
using SocketAtm.IssuerSim.Wire;
using SocketAtm.Protocol.Security;

namespace SocketAtm.IssuerSim;

/// <summary>
/// A running issuer simulator: a TCP server speaking the upstream contract (PROTOCOL.md, issue 15) with its own book.
/// Start it with <see cref="StartAsync"/>, read <see cref="Port"/>, and dispose it to stop: connections are closed and
/// the book is checkpointed and closed, so another simulator can open the same data directory.
/// </summary>
public sealed class IssuerSimulator : IAsyncDisposable
{
    private const int Backlog = 512;

    private readonly IssuerSimulatorOptions _options;
    private readonly IssuerBook _book;
    private readonly IssuerContext _context;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<IssuerConnection, Task> _connections = new();
    private readonly Lock _listenerGate = new();
    private Socket _listener;
    private CancellationTokenSource? _listening;
    private Task _acceptLoop = Task.CompletedTask;
    private Task _resetLoop = Task.CompletedTask;
    private int _disposed;

    private IssuerSimulator(IssuerSimulatorOptions options, IssuerBook book, Socket listener)
    {
        _options = options;
        _book = book;
        _listener = listener;
        EndPoint = (IPEndPoint)listener.LocalEndPoint!;
        _context = new IssuerContext(
            options, new IssuerRules(book, options.EffectiveZonePinKey, TimeProvider.System), new StandInAdviceRules(book, TimeProvider.System), new FaultPlan(options.Faults));
    }

    /// <summary>The address and port the simulator listens on.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>The bound port (useful with port 0).</summary>
    public int Port => EndPoint.Port;

    /// <summary>Connections open now.</summary>
    public int ConnectionCount => _connections.Count;

    /// <summary>
    /// Validates <paramref name="options"/>, opens the book (seeding the demo cards when new) and binds the port; it
    /// listens at once, or after <see cref="FaultOptions.RefuseFor"/> (until then connections are refused).
    /// </summary>
    /// <exception cref="IssuerSimulatorStartupException">The options are invalid, the book cannot be opened or the port is taken.</exception>
    public static Task<IssuerSimulator> StartAsync(IssuerSimulatorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        cancellationToken.ThrowIfCancellationRequested();
        if (options.Problem() is { } problem)
        {
            throw new IssuerSimulatorStartupException(problem);
        }

        var book = IssuerBook.Open(options.DataDirectory);
        Socket listener;
        try
        {
            listener = RefusablePort.BindForStart(options.Address, options.Port, options.Faults.RefuseFor > TimeSpan.Zero);
        }
        catch (SocketException exception)
        {
            book.Dispose();
            throw new IssuerSimulatorStartupException($"Cannot listen on {options.Address}:{options.Port}: {exception.Message}", exception);
        }

        var simulator = new IssuerSimulator(options, book, listener);
        simulator.Announce();
        simulator._acceptLoop = simulator.ListenAsync(options.Faults.RefuseFor);
        if (options.Faults.ResetEvery is { } every)
        {
            simulator._resetLoop = simulator.ResetPeriodicallyAsync(every);
        }

        return Task.FromResult(simulator);
    }

    /// <summary>The book per RRN, by acquirer id then RRN (what the <c>book</c> command prints).</summary>
    public IReadOnlyList<IssuerBookLine> Book() => [.. _book.Entries().Select(IssuerBookLine.From)];

    /// <summary>The balance of one of the simulator's cards in minor units; null for a card it does not issue.</summary>
    public long? BalanceOf(string pan) => _book.BalanceOf(pan);

    /// <summary>Closes every open connection now, as <see cref="FaultOptions.ResetEvery"/> does (then refusing for <see cref="FaultOptions.RefuseFor"/>).</summary>
    public void ResetConnections()
    {
        if (_options.Faults.RefuseFor > TimeSpan.Zero)
        {
            // Stop listening first, so that an acquirer reconnecting at once is refused rather than accepted.
            lock (_listenerGate)
            {
                // While refusing already, there is no listener to close.
                if (_listening is { } listening)
                {
                    listening.Cancel();
                    _listener.Dispose();
                }
            }
        }

        var count = 0;
        foreach (var connection in _connections.Keys)
        {
            connection.Close();
            count++;
        }

        IssuerLog.Reset(_options.Logger, count, _options.Faults.RefuseFor);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        lock (_listenerGate)
        {
            _listener.Dispose();
        }

        await Task.WhenAll(_acceptLoop, _resetLoop);
        foreach (var connection in _connections.Keys)
        {
            connection.Close();
        }

        await Task.WhenAll(_connections.Values);
        _book.Dispose();
        _stopping.Dispose();
        IssuerLog.Stopped(_options.Logger);
    }

    /// <summary>
    /// Accepts connections; a refusal window first leaves the port bound but not listening, so a connect is refused
    /// (RST) rather than left hanging. After a reset with a refusal window the listener is closed and bound again.
    /// </summary>
    private async Task ListenAsync(TimeSpan refuseFor)
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                if (refuseFor > TimeSpan.Zero)
                {
                    await Task.Delay(refuseFor, _stopping.Token);
                }

                CancellationTokenSource listening;
                Socket listener;
                lock (_listenerGate)
                {
                    if (_stopping.IsCancellationRequested)
                    {
                        return;
                    }

                    listener = _listener;
                    try
                    {
                        listener.Listen(Backlog);
                    }
                    catch (SocketException exception)
                    {
                        // Another socket took the port while it was not listening: log it, and try again shortly.
                        IssuerLog.ListenFailed(_options.Logger, EndPoint.ToString(), exception.SocketErrorCode.ToString());
                        _listener.Dispose();
                        _listener = RefusablePort.Bind(EndPoint);
                        refuseFor = TimeSpan.FromMilliseconds(100);
                        continue;
                    }

                    _listening = listening = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                }

                if (refuseFor > TimeSpan.Zero)
                {
                    IssuerLog.Listening(_options.Logger, EndPoint.ToString());
                }

                using (listening)
                {
                    await AcceptAsync(listener, listening.Token);
                }

                lock (_listenerGate)
                {
                    _listening = null;
                    _listener.Dispose();
                }

                var rebound = await BindAgainAsync();
                lock (_listenerGate)
                {
                    if (_stopping.IsCancellationRequested)
                    {
                        rebound.Dispose();
                        return;
                    }

                    _listener = rebound;
                }

                refuseFor = _options.Faults.RefuseFor;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Binds the port again after a reset; should another socket hold it for a moment, tries again.</summary>
    private async Task<Socket> BindAgainAsync()
    {
        while (true)
        {
            try
            {
                return RefusablePort.Bind(EndPoint);
            }
            catch (SocketException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), _stopping.Token);
            }
        }
    }

    private async Task AcceptAsync(Socket listener, CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            socket.NoDelay = true;
            var connection = new IssuerConnection(socket, _context);
            var run = RunConnectionAsync(connection);
            _connections.TryAdd(connection, run);
        }
    }

    private async Task RunConnectionAsync(IssuerConnection connection)
    {
        await Task.Yield();
        try
        {
            await connection.RunAsync(_stopping.Token);
        }
        finally
        {
            await connection.DisposeAsync();
            _connections.TryRemove(connection, out _);
        }
    }

    private async Task ResetPeriodicallyAsync(TimeSpan every)
    {
        using var timer = new PeriodicTimer(every);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                ResetConnections();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private void Announce()
    {
        var faults = _options.Faults;
        var described = string.Join(", ", new[]
        {
            faults.DropProbability > 0 ? $"drop {faults.DropProbability}" : null,
            faults.Delay > TimeSpan.Zero ? $"delay {faults.Delay}" : null,
            faults.LateProbability > 0 ? $"late {faults.LateProbability} by {faults.LateBy}" : null,
            faults.DuplicateProbability > 0 ? $"duplicate {faults.DuplicateProbability}" : null,
            faults.Reorder ? "reorder" : null,
            faults.ResetEvery is { } every ? $"reset every {every}" : null,
            faults.RefuseFor > TimeSpan.Zero ? $"refuse for {faults.RefuseFor}" : null,
            faults.BadAnswers != BadAnswerMode.None ? $"bad answers {faults.BadAnswers} at {faults.BadAnswerProbability}" : null,
            _options.RefuseAdvices is { } advices ? $"refuse advices {advices}" : null,
            _options.RefuseReversals is { } reversals ? $"refuse reversals {reversals}" : null,
            faults.Seed is { } seed ? $"seed {seed}" : null,
        }.Where(part => part is not null));
        var zak = _options.ZoneMacKey is { } key ? $"; ZAK KCV {KeyCheckValue.ToHex(key)} (MACs required)" : string.Empty;
        IssuerLog.Started(
            _options.Logger, EndPoint.ToString(), IssuerBook.DataFilePath(_options.DataDirectory), _book.IsNew ? "new, demo cards seeded" : "reopened",
            KeyCheckValue.ToHex(_options.EffectiveZonePinKey) + (_options.ZonePinKey is null ? " (the published demo ZPK)" : string.Empty), zak,
            described.Length == 0 ? "none" : described);
        foreach (var (maskedPan, balance) in _book.Cards())
        {
            IssuerLog.Card(_options.Logger, maskedPan, balance);
        }
    }
}
