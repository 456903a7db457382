using SocketAtm.Client;
using SocketAtm.IssuerSim;
using SocketAtm.Load.Measurement;

namespace SocketAtm.Load.Workloads;

/// <summary>
/// The not-on-us share of the withdrawals (<c>--off-us</c>): which withdrawal goes with the issuer simulator's rich card
/// (the host forwards it to the simulator) instead of a fleet card, and what the terminals saw of that money — approved
/// less reversed, which must be what both books say moved. For the CPU phases the share is forced to none or all, and
/// the terminals report into the phase's own statistics.
/// </summary>
internal sealed class OffUsTraffic
{
    /// <summary>
    /// Every not-on-us withdrawal asks for 20.00, so the rich card's 1,000,000.00 lasts 50,000 of them: a long run does
    /// not turn into insufficient funds.
    /// </summary>
    public const long Amount = 2_000;

    /// <summary>The track's service code and discretionary data: the host checks no CVV of a card not on file, the simulator none.</summary>
    private const string TrackTail = "101" + "1" + "0000" + "000";

    private volatile Phase? _phase;
    private long _approved;
    private long _reversed;

    /// <param name="share">Of the withdrawals, the part sent not-on-us (0 to 1).</param>
    public OffUsTraffic(double share) => Share = share;

    /// <summary>No not-on-us traffic.</summary>
    public static OffUsTraffic None { get; } = new(0);

    public double Share { get; }

    public bool Enabled => Share > 0;

    /// <summary>The issuer simulator's rich card as read off its track 2: the host forwards DE 14 from the track's expiry.</summary>
    public CardData Card { get; } = CardData.FromTrack2($"{IssuerDemoData.Rich.Pan}={IssuerDemoData.Rich.Expiry}{TrackTail}");

    public string Pin => IssuerDemoData.Pin;

    /// <summary>Approved not-on-us amounts less what the terminals had reversed, as they saw it.</summary>
    public long NetAsSeen => Interlocked.Read(ref _approved) - Interlocked.Read(ref _reversed);

    /// <summary>During a CPU phase: the phase's statistics, which the terminals report into instead of the run's.</summary>
    public RunStatistics? PhaseStatistics => _phase?.Statistics;

    /// <summary>During a CPU phase every operation is a plain withdrawal.</summary>
    public bool WithdrawalsOnly => _phase is not null;

    /// <summary>Whether the next withdrawal goes not-on-us.</summary>
    public bool NextIsOffUs() => _phase switch
    {
        { Class: TrafficClass.OnUs } => false,
        { Class: TrafficClass.Forwarded } => true,
        _ => Share > 0 && Random.Shared.NextDouble() < Share,
    };

    public void Approved(long amount) => Interlocked.Add(ref _approved, amount);

    public void Reversed(long amount) => Interlocked.Add(ref _reversed, amount);

    /// <summary>From now on only <paramref name="traffic"/> withdrawals, reported into <paramref name="statistics"/>.</summary>
    public void BeginPhase(TrafficClass traffic, RunStatistics statistics) => _phase = new Phase(traffic, statistics);

    public void EndPhase() => _phase = null;

    private sealed record Phase(TrafficClass Class, RunStatistics Statistics);
}
