using SocketAtm.Load.Hosting;
using SocketAtm.Load.Measurement;
using SocketAtm.Load.Workloads;
using SocketAtm.Server.Hosting;
using SocketAtm.Server.Ledger;

namespace SocketAtm.Load.Acquiring;

/// <summary>
/// What a run with a not-on-us share adds to a plain one, in the order it happens: the issuer simulator starts before
/// the hosts, which get a route to it; the load waits until they have signed on; after the mixed window the CPU phases
/// run; after the load the owed reversals drain into the simulator's book; once the hosts have stopped, the acquirer's
/// book is compared with the simulator's.
/// </summary>
internal sealed class NotOnUsRun : IAsyncDisposable
{
    private static readonly TimeSpan SignOnTimeout = TimeSpan.FromSeconds(30);

    // Longer than the owed-reversal sender's round (1 s) and its first retry pause: a book still for this long has no
    // reversal on its way.
    private static readonly TimeSpan DrainQuiet = TimeSpan.FromSeconds(2.5);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(60);

    private readonly InProcessIssuer _issuer;
    private bool _drained;
    private IReadOnlyList<CpuPhaseResult> _phases = [];
    private string? _phaseMode;

    private NotOnUsRun(InProcessIssuer issuer, OffUsTraffic traffic)
    {
        _issuer = issuer;
        Traffic = traffic;
    }

    public double SharePercent => Traffic.Share * 100;

    public OffUsTraffic Traffic { get; }

    /// <summary>The route's settings for every host's command line.</summary>
    public IReadOnlyList<string> HostArguments => _issuer.HostArguments;

    public static async Task<NotOnUsRun> StartAsync(OffUsTraffic traffic, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(traffic);
        ArgumentNullException.ThrowIfNull(log);
        var issuer = await InProcessIssuer.StartAsync();
        await log.WriteLineAsync($"Issuer simulator (in this process) on port {issuer.Simulator.Port}; {traffic.Share * 100:0.#}% of the withdrawals go not-on-us with its card {IssuerSim.IssuerDemoData.Rich.Pan[..6]}******{IssuerSim.IssuerDemoData.Rich.Pan[^4..]}.");
        return new NotOnUsRun(issuer, traffic);
    }

    /// <summary>The hosts' environment: the run's storage settings and the route's ZPK.</summary>
    public static IReadOnlyDictionary<string, string?> HostEnvironment(IReadOnlyDictionary<string, string?> storage) =>
        new Dictionary<string, string?>(storage.Concat(InProcessIssuer.HostEnvironment), StringComparer.Ordinal);

    public async Task WaitUntilSignedOnAsync(IEnumerable<StartedHost> hosts, TextWriter log)
    {
        await InProcessIssuer.WaitUntilSignedOnAsync(hosts.Select(host => host.DataDirectory), SignOnTimeout);
        await log.WriteLineAsync($"Every host signed on to the issuer simulator ({InProcessIssuer.Connections} connections each).");
    }

    public async Task RunCpuPhasesAsync(
        IReadOnlyList<LoadTerminal> terminals, IReadOnlyList<StartedHost> hosts, TimeSpan duration, double? rate, TimeSpan drainTimeout, TextWriter log)
    {
        if (duration > TimeSpan.Zero && hosts.Count > 0)
        {
            _phaseMode = rate is { } perSecond ? $"open loop at {perSecond:N0}/s" : "closed loop";
            _phases = await CpuPhases.RunAsync(terminals, Traffic, hosts, duration, rate, drainTimeout, log);
        }
    }

    /// <summary>Waits for the reversals the hosts owe upstream to reach the simulator (its book comes to rest).</summary>
    public async Task DrainAsync(TextWriter log)
    {
        await log.WriteLineAsync("Waiting for owed reversals to reach the issuer simulator.");
        _drained = await _issuer.WaitUntilQuietAsync(DrainQuiet, DrainTimeout);
    }

    /// <summary>Once the hosts have stopped: the acquirer's book against the simulator's.</summary>
    public Task<BooksResult> CompareBooksAsync(LedgerOptions ledger, StorageOptions storage, CancellationToken cancellationToken) =>
        BooksComparison.RunAsync(ledger, storage, _issuer.Book(), Traffic.NetAsSeen, cancellationToken);

    public NotOnUsReport Report(RunStatistics statistics, IReadOnlyDictionary<string, long> answers, BooksResult books)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        ArgumentNullException.ThrowIfNull(answers);
        TrafficFigures Figures(TrafficClass traffic)
        {
            var latency = statistics.LatencyOf(traffic);
            var seconds = statistics.MeasuredSeconds;
            return new TrafficFigures(
                latency.Count,
                seconds > 0 ? latency.Count / seconds : 0,
                latency.P50Milliseconds,
                latency.P99Milliseconds,
                answers.Where(pair => IsForwardedKind(pair.Key) == (traffic == TrafficClass.Forwarded)).ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal));
        }

        return new NotOnUsReport
        {
            SharePercent = SharePercent,
            Route = $"{InProcessIssuer.Route} (BIN {IssuerSim.IssuerDemoData.Bin}) to 127.0.0.1:{_issuer.Simulator.Port}",
            OnUs = Figures(TrafficClass.OnUs),
            Forwarded = Figures(TrafficClass.Forwarded),
            CpuPhases = _phases,
            CpuPhaseMode = _phaseMode,
            Drained = _drained,
            Books = books,
        };
    }

    public ValueTask DisposeAsync() => _issuer.DisposeAsync();

    /// <summary>Kinds the not-on-us withdrawals report under (<see cref="LibraryLoadTerminal"/>) end so.</summary>
    private static bool IsForwardedKind(string kindAndCode) => kindAndCode.Contains("not on us", StringComparison.Ordinal);
}
