using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using SocketAtm.IssuerSim;
using SocketAtm.IssuerSim.Book;
using SocketAtm.IssuerSim.Faults;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Vocabulary;
using SocketAtm.Server.Ledger.Acquiring;
using SocketAtm.Server.Upstream;

namespace SocketAtm.EndToEnd.Tests.Acquiring;

/// <summary>
/// The issuer simulator (its own durable book) and a host with one route to it, over real loopback sockets: what the
/// tests of PROTOCOL.md §15 run against. The host's books and the simulator's are read afterwards; the host can be
/// restarted on its data (or started a second time on the same PostgreSQL database).
/// </summary>
internal sealed class AcquirerHarness : IAsyncDisposable
{
    public const string Route = "sim";
    public const string AcquirerId = "476173";
    public const string Pin = "1234";

    private readonly string _issuerData;
    private readonly string[] _hostArgs;
    private readonly List<RunningHost> _otherHosts = [];
    private int _issuerPort;
    private bool _issuerStopped;

    private AcquirerHarness(IssuerSimulator issuer, RunningHost host, string issuerData, string[] hostArgs, IssuerDecisions decisions, TcpRelay? relay, CapturingSink hostLog)
    {
        HostLog = hostLog;
        Issuer = issuer;
        Host = host;
        _issuerData = issuerData;
        _hostArgs = hostArgs;
        Decisions = decisions;
        Relay = relay;
    }

    public IssuerSimulator Issuer { get; private set; }

    public RunningHost Host { get; }

    /// <summary>What the host logged (warnings, and the acquirer's information lines), across its restarts.</summary>
    public CapturingSink HostLog { get; }

    /// <summary>Every decision the issuer logged, across its restarts.</summary>
    public IssuerDecisions Decisions { get; }

    /// <summary>The first endpoint when set up with <see cref="AcquirerSetup.FailOverRelay"/>.</summary>
    public TcpRelay? Relay { get; }

    public static string RichCard => IssuerDemoData.Rich.Pan;

    public static Task<AcquirerHarness> StartAsync(FaultOptions? faults = null, TimeSpan? timeout = null, params string[] extraArgs) =>
        StartAsync(new AcquirerSetup { Faults = faults ?? new FaultOptions(), Timeout = timeout ?? TimeSpan.FromSeconds(2), HostArgs = extraArgs });

    public static async Task<AcquirerHarness> StartAsync(AcquirerSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var issuerData = Path.Combine(Path.GetTempPath(), "socketatm-issuer-" + Guid.NewGuid().ToString("N")[..12]);
        var decisions = new IssuerDecisions();
        var issuer = await IssuerSimulator.StartAsync(new IssuerSimulatorOptions { Port = 0, DataDirectory = issuerData, Faults = setup.Faults, Logger = decisions });
        var relay = setup.FailOverRelay ? new TcpRelay(issuer.EndPoint) : null;
        int[] ports = relay is null ? [issuer.Port] : [relay.Port, issuer.Port];
        string[] store = setup.PostgreSqlConnectionString is { } connectionString
            ?
            [
                "--Storage:Provider=PostgreSql",
                "--Storage:ConnectionString=" + connectionString,
                "--Ledger:KeyEncryptionKey=" + Convert.ToHexString(RandomNumberGenerator.GetBytes(32)),
            ]
            : [];
        string[] hostArgs =
        [
            .. RouteArgs(ports, setup.Timeout, setup.Connections), .. store,
            "--Serilog:MinimumLevel:Override:SocketAtm.Server.Acquiring=Information", .. setup.HostArgs,
        ];
        var hostLog = new CapturingSink();
        var host = await RunningHost.StartWithServicesAsync(services => services.AddSingleton<ILogEventSink>(hostLog), hostArgs);
        var harness = new AcquirerHarness(issuer, host, issuerData, hostArgs, decisions, relay, hostLog);
        await harness.WaitUntilSignedOnAsync();
        return harness;
    }

    /// <summary>The route's settings as an operator gives them on the command line (the ZPK never in appsettings.json).</summary>
    public static string[] RouteArgs(int issuerPort, TimeSpan timeout) => RouteArgs([issuerPort], timeout, 1);

    public static string[] RouteArgs(IReadOnlyList<int> endpointPorts, TimeSpan timeout, int connections) =>
    [
        "--Routing:Routes:0:Name=" + Route,
        "--Routing:Routes:0:Bins:0=541333",
        .. endpointPorts.Select((port, index) => $"--Routing:Routes:0:Endpoints:{index}=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"),
        "--Routing:Routes:0:AcquirerId=" + AcquirerId,
        "--Routing:Routes:0:ZonePinKey=" + Convert.ToHexString(IssuerDemoData.ZonePinKey()),
        "--Routing:Routes:0:Connections=" + connections.ToString(CultureInfo.InvariantCulture),
        "--Routing:Routes:0:Timeout=" + timeout.ToString("c", CultureInfo.InvariantCulture),
        "--Routing:Routes:0:ReconnectDelay=00:00:00.1",
        "--Routing:Routes:0:MaxReconnectDelay=00:00:00.5",
    ];

    public IAcquirerLedger Ledger => LedgerOf(Host);

    public static IAcquirerLedger LedgerOf(RunningHost host) => (IAcquirerLedger)host.Services.GetService(typeof(Server.Ledger.ILedger))!;

    public RouteLinkStatus LinkStatus => LinkStatusOf(Host);

    /// <summary>Restarts the simulator on its book with other faults (same port: the host reconnects to it).</summary>
    public async Task RestartIssuerAsync(FaultOptions faults)
    {
        var port = Issuer.Port;
        await Issuer.DisposeAsync();
        Issuer = await IssuerSimulator.StartAsync(new IssuerSimulatorOptions { Port = port, DataDirectory = _issuerData, Faults = faults, Logger = Decisions });
        await WaitUntilSignedOnAsync();
    }

    /// <summary>Stops the simulator (its book stays on disk) and waits until the host's link is down.</summary>
    public async Task StopIssuerAsync()
    {
        _issuerPort = Issuer.Port;
        await Issuer.DisposeAsync();
        _issuerStopped = true;
        await Eventually(() => LinkStatus.SignedOn == 0, "the host never noticed the issuer was gone");
    }

    /// <summary>Starts the simulator again on its book and port, after <see cref="StopIssuerAsync"/>, and waits until the host signed on.</summary>
    /// <param name="refuseReversals">DE 39 the simulator answers every 0420/0421 with, booking nothing (<c>--refuse-reversals</c>); null: none.</param>
    public async Task StartIssuerAsync(FaultOptions faults, string? refuseReversals = null)
    {
        Issuer = await IssuerSimulator.StartAsync(new IssuerSimulatorOptions
        {
            Port = _issuerPort, DataDirectory = _issuerData, Faults = faults, Logger = Decisions, RefuseReversals = refuseReversals,
        });
        _issuerStopped = false;
        await WaitUntilSignedOnAsync();
    }

    /// <summary>Stops the host (gracefully, as on Ctrl-C) and starts it again on the same data and settings, signed on again.</summary>
    public async Task RestartHostAsync()
    {
        await Host.StopAsync();
        await Host.StartAgainAsync(_hostArgs);
        await WaitUntilSignedOnAsync();
    }

    /// <summary>A second host with the same settings — on PostgreSQL, the same database — with a data directory of its own.</summary>
    public async Task<RunningHost> StartAnotherHostAsync()
    {
        var other = await RunningHost.StartWithServicesAsync(services => services.AddSingleton<ILogEventSink>(HostLog), _hostArgs);
        _otherHosts.Add(other);
        await Eventually(() => LinkStatusOf(other).SignedOn > 0, "the second host never signed on to the issuer");
        return other;
    }

    public async Task WaitUntilSignedOnAsync() => await Eventually(() => Issuer.ConnectionCount > 0 && LinkStatus.SignedOn > 0, "the host never signed on to the issuer");

    /// <summary>The issuer's book line of <paramref name="rrn"/>, or null.</summary>
    public IssuerBookLine? IssuerLine(string rrn) => Issuer.Book().SingleOrDefault(line => line.AcquirerId == AcquirerId && line.Rrn == rrn);

    /// <summary>What <paramref name="rrn"/> moved at the issuer (0 when the issuer never booked it).</summary>
    public long IssuerNet(string rrn) => IssuerLine(rrn)?.NetAmount ?? 0;

    /// <summary>What the acquirer's book says the issuer owes for <paramref name="rrn"/> (0 without a line).</summary>
    public async Task<long> AcquirerNetAsync(string rrn) =>
        (await Ledger.ListAcquirerBookAsync(Route, CancellationToken.None)).Where(line => line.RetrievalReference.Trim() == rrn).Sum(line => line.NetAmount);

    public async Task<int> OwedCountAsync() => (await Ledger.ListOwedMessagesAsync(Route, 100, CancellationToken.None)).Count;

    /// <summary>Waits until the acquirer owes the issuer no reversal: every one sent and its 0430 "00" recorded.</summary>
    public async Task WaitUntilNothingOwedAsync(TimeSpan? within = null) =>
        await Eventually(async () => await OwedCountAsync() == 0, "a reversal is still owed upstream", within ?? TimeSpan.FromSeconds(20));

    /// <summary>
    /// The withdrawal of <paramref name="rrn"/> given up and reversed: the issuer accepted exactly one 0420 for it (every
    /// retry is an 0421), its book nets 0 for it, and the acquirer's book holds nothing for it.
    /// </summary>
    public async Task AssertReversedOnceAsync(string rrn)
    {
        var line = IssuerLine(rrn);
        Assert.NotNull(line);
        Assert.Equal(ResponseCodes.Approved, line.ReversalResponse);
        Assert.Equal(0, line.NetAmount);
        Assert.Equal(1, Decisions.Count("0420", rrn));
        Assert.Equal(0, await AcquirerNetAsync(rrn));
    }

    /// <summary>A withdrawal with a card of the simulator's, its own expiry in DE 14 (the issuer checks it).</summary>
    public static IsoMessage OffUs(TestTerminal atm, long amount, int stan, string pan, string pin = Pin, int mti = 200)
    {
        ArgumentNullException.ThrowIfNull(atm);
        var request = atm.Withdrawal(amount, stan, pan, pin, mti);
        request.Set(DataElements.ExpirationDate, IssuerDemoData.Cards.Single(card => card.Pan == pan).Expiry);
        return request;
    }

    /// <summary>Sends every request at once on one connection and returns the answers by DE 11 (they may come in any order).</summary>
    public static async Task<Dictionary<int, IsoMessage>> PipelineAsync(TestTerminal atm, IReadOnlyList<IsoMessage> requests)
    {
        ArgumentNullException.ThrowIfNull(atm);
        ArgumentNullException.ThrowIfNull(requests);
        foreach (var request in requests)
        {
            await atm.SendAsync(request);
        }

        var answers = new Dictionary<int, IsoMessage>();
        while (answers.Count < requests.Count)
        {
            var answer = await atm.ReceiveAsync();
            answer.TryGetNumber(DataElements.Stan, out var stan);
            answers[(int)stan] = answer;
        }

        return answers;
    }

    public static Task Eventually(Func<bool> condition, string what, TimeSpan? within = null) =>
        Eventually(() => Task.FromResult(condition()), what, within);

    /// <summary>As <see cref="Eventually(Func{bool}, string, TimeSpan?)"/>, for a condition that reads the ledger (awaited, never blocked on).</summary>
    public static async Task Eventually(Func<Task<bool>> condition, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(15));
        while (!await condition())
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
        foreach (var other in _otherHosts)
        {
            await other.DisposeAsync();
        }

        await Host.DisposeAsync();
        if (Relay is not null)
        {
            await Relay.DisposeAsync();
        }

        if (!_issuerStopped)
        {
            await Issuer.DisposeAsync();
        }

        if (Directory.Exists(_issuerData))
        {
            Directory.Delete(_issuerData, recursive: true);
        }
    }

    private static RouteLinkStatus LinkStatusOf(RunningHost host)
    {
        var routes = (IssuerRoutes)host.Services.GetService(typeof(IssuerRoutes))!;
        return routes.Find(Route)!.Status();
    }

    /// <summary>The endpoint text the host's link shows for the issuer itself (not the relay).</summary>
    public string IssuerEndpoint => new IPEndPoint(IPAddress.Loopback, Issuer.Port).ToString();
}
