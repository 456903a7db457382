using System.Globalization;
using SocketAtm.IssuerSim;
using SocketAtm.IssuerSim.Book;
using SocketAtm.Server.Upstream;

namespace SocketAtm.Load.Acquiring;

/// <summary>
/// The issuer simulator of a run with a not-on-us share, in the harness's own process (so its CPU is not the host's) on
/// a free loopback port with a fresh book; and the route that leads the started hosts to it. The hosts learn the route
/// from their command line and its ZPK from their environment, as an operator gives a key (never appsettings.json).
/// </summary>
internal sealed class InProcessIssuer : IAsyncDisposable
{
    public const string Route = "load-issuer";
    public const string AcquirerId = "476173";
    public const int Connections = 2;

    /// <summary>The route's budget for one answer: well inside the terminals' own timeout, so a terminal sees the host's 91.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    private readonly string _dataDirectory;

    private InProcessIssuer(IssuerSimulator simulator, string dataDirectory)
    {
        Simulator = simulator;
        _dataDirectory = dataDirectory;
    }

    public IssuerSimulator Simulator { get; }

    /// <summary>The route's settings on the hosts' command line.</summary>
    public IReadOnlyList<string> HostArguments =>
    [
        "--Routing:Routes:0:Name=" + Route,
        "--Routing:Routes:0:Bins:0=" + IssuerDemoData.Bin,
        "--Routing:Routes:0:Endpoints:0=127.0.0.1:" + Simulator.Port.ToString(CultureInfo.InvariantCulture),
        "--Routing:Routes:0:AcquirerId=" + AcquirerId,
        "--Routing:Routes:0:Connections=" + Connections.ToString(CultureInfo.InvariantCulture),
        "--Routing:Routes:0:Timeout=" + Timeout.ToString("c", CultureInfo.InvariantCulture),
    ];

    /// <summary>The route's ZPK, in the hosts' environment: the published demo key the simulator holds too.</summary>
    public static IReadOnlyDictionary<string, string?> HostEnvironment { get; } = new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["SOCKETATM_Routing__Routes__0__ZonePinKey"] = IssuerDemoData.ZonePinKeyHex,
    };

    /// <exception cref="IssuerSimulatorStartupException">The simulator cannot start.</exception>
    public static async Task<InProcessIssuer> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "socketatm-load-issuer-" + Guid.NewGuid().ToString("N")[..12]);
        var simulator = await IssuerSimulator.StartAsync(new IssuerSimulatorOptions { Port = 0, DataDirectory = directory });
        return new InProcessIssuer(simulator, directory);
    }

    /// <summary>
    /// Waits until every host has each of the route's connections signed on, as its link status file
    /// (<see cref="LinkStatusFile"/>, in its data directory) says: before that a forwarded request is answered 91.
    /// </summary>
    /// <exception cref="TimeoutException">A host did not sign on in time.</exception>
    public static async Task WaitUntilSignedOnAsync(IEnumerable<string> hostDataDirectories, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        foreach (var directory in hostDataDirectories)
        {
            var path = LinkStatusFile.PathIn(directory);
            while (LinkStatusFile.TryRead(path) is not { Running: true } status
                || status.Routes.FirstOrDefault(route => route.Route == Route) is not { SignedOn: Connections })
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"A host (data in {directory}) did not sign on to the issuer simulator within {timeout.TotalSeconds:F0} s.");
                }

                await Task.Delay(Poll);
            }
        }
    }

    /// <summary>
    /// Waits until the simulator's book has stopped changing for <paramref name="quiet"/> — the owed reversals the hosts
    /// send as 0420/0421 have all arrived — or <paramref name="timeout"/> passed; false then. The hosts' ledger says
    /// afterwards whether any is still owed.
    /// </summary>
    public async Task<bool> WaitUntilQuietAsync(TimeSpan quiet, TimeSpan timeout)
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

            await Task.Delay(Poll);
            var now = Fingerprint();
            if (now != last)
            {
                (last, quietSince) = (now, DateTime.UtcNow);
            }
        }

        return true;
    }

    /// <summary>The simulator's book lines of this run's acquirer.</summary>
    public IReadOnlyList<IssuerBookLine> Book() => [.. Simulator.Book().Where(line => line.AcquirerId == AcquirerId)];

    public async ValueTask DisposeAsync()
    {
        await Simulator.DisposeAsync();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private (int Lines, long Net, int Reversals) Fingerprint()
    {
        var book = Simulator.Book();
        return (book.Count, book.Sum(line => line.NetAmount), book.Count(line => line.ReversalResponse.Length > 0));
    }
}
