using SocketAtm.IssuerSim;
using SocketAtm.IssuerSim.Book;
using SocketAtm.IssuerSim.Faults;

namespace SocketAtm.ChaosTest;

/// <summary>
/// The issuer simulator in this process, on one port and one durable book for the whole run: each fault phase restarts
/// it with that phase's faults (the restart itself closes every connection, as an issuer's restart does), and the
/// blackout is a phase that answers nothing. Its book is what the acquirer's is held to.
/// </summary>
internal sealed class ChaosIssuer : IAsyncDisposable
{
    private readonly string _dataDirectory;
    private IssuerSimulator _simulator;

    private ChaosIssuer(IssuerSimulator simulator, string dataDirectory)
    {
        _simulator = simulator;
        _dataDirectory = dataDirectory;
    }

    public int Port => _simulator.Port;

    /// <summary>Connections the hosts hold open to it now.</summary>
    public int ConnectionCount => _simulator.ConnectionCount;

    public static async Task<ChaosIssuer> StartAsync(string dataDirectory) =>
        new(await IssuerSimulator.StartAsync(new IssuerSimulatorOptions { Port = 0, DataDirectory = dataDirectory }), dataDirectory);

    /// <summary>Restarts it on its book and port with <paramref name="faults"/> (none: <c>new FaultOptions()</c>).</summary>
    public async Task RestartAsync(FaultOptions faults)
    {
        var port = _simulator.Port;
        await _simulator.DisposeAsync();
        _simulator = await IssuerSimulator.StartAsync(new IssuerSimulatorOptions { Port = port, DataDirectory = _dataDirectory, Faults = faults });
    }

    /// <summary>Its book lines of the hosts' acquirer id.</summary>
    public IReadOnlyList<IssuerBookLine> Book() => [.. _simulator.Book().Where(line => line.AcquirerId == ChaosRoute.AcquirerId)];

    /// <summary>
    /// Waits until the book has not changed for <paramref name="quiet"/>: what the hosts owed it has arrived, or they are
    /// stuck. False when <paramref name="timeout"/> passed first.
    /// </summary>
    public async Task<bool> WaitUntilQuietAsync(TimeSpan quiet, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = Fingerprint();
        var quietSince = DateTime.UtcNow;
        while (DateTime.UtcNow - quietSince < quiet)
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            var now = Fingerprint();
            if (now != last)
            {
                (last, quietSince) = (now, DateTime.UtcNow);
            }
        }

        return true;
    }

    public ValueTask DisposeAsync() => _simulator.DisposeAsync();

    private string Fingerprint() => string.Join(';', Book().Select(line => $"{line.Rrn}:{line.NetAmount}:{line.LastResponse}:{line.AdviceResponse}"));
}
