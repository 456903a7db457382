using System.Globalization;
using SocketAtm.IssuerSim;
using SocketAtm.IssuerSim.Book;
using SocketAtm.IssuerSim.Faults;
using SocketAtm.Server.Ledger.Acquiring;

namespace SocketAtm.EndToEnd.Tests.Acquiring;

/// <summary>
/// The issuer simulator (its own durable book) and a host with one route to it, over real loopback sockets: what the
/// tests of PROTOCOL.md §15 run against. The host's books and the simulator's are read afterwards.
/// </summary>
internal sealed class AcquirerHarness : IAsyncDisposable
{
    public const string Route = "sim";
    public const string AcquirerId = "476173";
    public const string Pin = "1234";

    private readonly string _issuerData;

    private AcquirerHarness(IssuerSimulator issuer, RunningHost host, string issuerData)
    {
        Issuer = issuer;
        Host = host;
        _issuerData = issuerData;
    }

    public IssuerSimulator Issuer { get; private set; }

    public RunningHost Host { get; }

    public static string RichCard => IssuerDemoData.Rich.Pan;

    public static async Task<AcquirerHarness> StartAsync(FaultOptions? faults = null, TimeSpan? timeout = null, params string[] extraArgs)
    {
        var issuerData = Path.Combine(Path.GetTempPath(), "socketatm-issuer-" + Guid.NewGuid().ToString("N")[..12]);
        var issuer = await IssuerSimulator.StartAsync(new IssuerSimulatorOptions { Port = 0, DataDirectory = issuerData, Faults = faults ?? new FaultOptions() });
        var host = await RunningHost.StartAsync(null, [.. RouteArgs(issuer.Port, timeout ?? TimeSpan.FromSeconds(2)), .. extraArgs]);
        var harness = new AcquirerHarness(issuer, host, issuerData);
        await harness.WaitUntilSignedOnAsync();
        return harness;
    }

    /// <summary>The route's settings as an operator gives them on the command line (the ZPK never in appsettings.json).</summary>
    public static string[] RouteArgs(int issuerPort, TimeSpan timeout) =>
    [
        "--Routing:Routes:0:Name=" + Route,
        "--Routing:Routes:0:Bins:0=541333",
        "--Routing:Routes:0:Endpoints:0=127.0.0.1:" + issuerPort.ToString(CultureInfo.InvariantCulture),
        "--Routing:Routes:0:AcquirerId=" + AcquirerId,
        "--Routing:Routes:0:ZonePinKey=" + Convert.ToHexString(IssuerDemoData.ZonePinKey()),
        "--Routing:Routes:0:Connections=1",
        "--Routing:Routes:0:Timeout=" + timeout.ToString("c", CultureInfo.InvariantCulture),
        "--Routing:Routes:0:ReconnectDelay=00:00:00.1",
        "--Routing:Routes:0:MaxReconnectDelay=00:00:00.5",
    ];

    public IAcquirerLedger Ledger => (IAcquirerLedger)Host.Services.GetService(typeof(Server.Ledger.ILedger))!;

    /// <summary>Restarts the simulator on its book with other faults (same port: the host reconnects to it).</summary>
    public async Task RestartIssuerAsync(FaultOptions faults)
    {
        var port = Issuer.Port;
        await Issuer.DisposeAsync();
        Issuer = await IssuerSimulator.StartAsync(new IssuerSimulatorOptions { Port = port, DataDirectory = _issuerData, Faults = faults });
        await WaitUntilSignedOnAsync();
    }

    public async Task WaitUntilSignedOnAsync() => await Eventually(() => Issuer.ConnectionCount > 0 && IsSignedOn(), "the host never signed on to the issuer");

    /// <summary>The issuer's book line of <paramref name="rrn"/>, or null.</summary>
    public IssuerBookLine? IssuerLine(string rrn) => Issuer.Book().SingleOrDefault(line => line.AcquirerId == AcquirerId && line.Rrn == rrn);

    public static async Task Eventually(Func<bool> condition, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(15));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(what);
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Issuer.DisposeAsync();
        if (Directory.Exists(_issuerData))
        {
            Directory.Delete(_issuerData, recursive: true);
        }
    }

    private bool IsSignedOn()
    {
        var routes = (Server.Upstream.IssuerRoutes)Host.Services.GetService(typeof(Server.Upstream.IssuerRoutes))!;
        return routes.Find(Route)?.LinkState.Snapshot().SignedOn > 0;
    }
}
