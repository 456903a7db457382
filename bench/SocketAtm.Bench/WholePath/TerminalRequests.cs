using System.Globalization;
using SocketAtm.Fixtures;
using SocketAtm.Protocol.Iso8583;

namespace SocketAtm.Bench.WholePath;

/// <summary>
/// The requests the terminal side of the whole-path benchmarks sends: from ATM00009 (a demo terminal that needs no MAC),
/// for demo card 4761739001010150 (PIN 3333, the card whose limits are meant for load), one cent at a time. Each request
/// gets a key never used before (<see cref="WithNextKey"/>), so the ledger decides it afresh instead of answering 94, and
/// a DE 7 of the benchmark's clock, so the host does not refuse it as stale (63).
/// The messages themselves are src/Fixtures' <see cref="DemoRequests"/>, the same the host's tests send.
/// </summary>
internal sealed class TerminalRequests
{
    public const string TerminalId = DemoRequests.TerminalId;

    /// <summary>Demo card 5: balance 1,000,000.00, daily limits 1,000,000.00 and 100,000 withdrawals.</summary>
    public const string LoadCardPan = DemoCards.Rich;

    /// <summary>Withdrawals of one cent: a benchmark cannot run long enough to empty the card.</summary>
    public const long WithdrawalAmount = 1;

    private const int StanCount = 999_999;

    /// <summary>How old DE 7 may become before it is moved to the clock: well inside the host's window (15 minutes).</summary>
    private static readonly TimeSpan MaxTransmissionAge = TimeSpan.FromMinutes(1);

    private readonly TimeProvider _clock;
    private readonly char[] _transmissionDateTime = new char[10];
    private DateTimeOffset _transmission;
    private long _sent;

    /// <param name="clock">The host's clock (the benchmark moves it a day ahead now and then): DE 7 follows it.</param>
    public TerminalRequests(TimeProvider clock)
    {
        _clock = clock;
        _transmission = Truncated(clock.GetUtcNow());
        var first = _transmission.ToString("MMddHHmmss", CultureInfo.InvariantCulture);
        SignOn = WithNextKey(DemoRequests.SignOn(TerminalId, transmissionDateTime: first));
        Echo = WithNextKey(DemoRequests.NetworkManagement(TerminalId, 1, "301", first));
        BalanceInquiry = WithNextKey(AsReferenceAcquirer(DemoRequests.BalanceInquiry(1, LoadCardPan, DemoCards.RichPin, TerminalId, transmissionDateTime: first)));
        Withdrawal = WithNextKey(AsReferenceAcquirer(DemoRequests.Withdrawal(WithdrawalAmount, 1, LoadCardPan, DemoCards.RichPin, TerminalId, transmissionDateTime: first)));
        WithdrawalWithTrack2 = WithNextKey(WithTrack2(AsReferenceAcquirer(DemoRequests.Withdrawal(WithdrawalAmount, 1, LoadCardPan, DemoCards.RichPin, TerminalId, transmissionDateTime: first))));
    }

    /// <summary>0800 sign-on (DE 70 = 001).</summary>
    public IsoMessage SignOn { get; }

    /// <summary>0800 echo test (DE 70 = 301).</summary>
    public IsoMessage Echo { get; }

    /// <summary>0200 balance inquiry of the checking account (DE 3 = 302000).</summary>
    public IsoMessage BalanceInquiry { get; }

    /// <summary>0200 cash withdrawal of one cent from the checking account (DE 3 = 012000).</summary>
    public IsoMessage Withdrawal { get; }

    /// <summary>The same withdrawal as a card reader sends it: the card's track 2 (DE 35) in place of DE 2 and DE 14.</summary>
    public IsoMessage WithdrawalWithTrack2 { get; }

    /// <summary>
    /// Gives <paramref name="request"/> the next unused idempotency key: STAN 1–999,999 in turn, and a DE 7 that moves to
    /// the clock (at least a second later than the last) each time the STAN wraps or it is a minute behind the clock, so no
    /// STAN and DE 7 pair comes twice. Allocation-free, so the benchmarks measure the host, not the terminal.
    /// </summary>
    public IsoMessage WithNextKey(IsoMessage request)
    {
        var sent = _sent++;
        var stan = (sent % StanCount) + 1;
        var now = _clock.GetUtcNow();
        if (stan == 1 || now - _transmission > MaxTransmissionAge)
        {
            var next = Truncated(now);
            _transmission = next > _transmission ? next : _transmission.AddSeconds(1);
            _transmission.TryFormat(_transmissionDateTime, out _, "MMddHHmmss", CultureInfo.InvariantCulture);
        }

        request.SetNumber(11, stan);
        request.Set(7, _transmissionDateTime);
        return request;
    }

    private static DateTimeOffset Truncated(DateTimeOffset time) => new(time.Ticks - (time.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    /// <summary>
    /// DE 22 and DE 32 as the reference withdrawal has them (magnetic stripe with PIN, acquirer 400001) rather than as
    /// DemoRequests has them (chip, 12345): the acquirer id is one of the strings the host allocates per request, so
    /// with another length the bytes measured against allocation-budget.json and bench/README.md's figures would move.
    /// </summary>
    private static IsoMessage WithTrack2(IsoMessage cardRequest)
    {
        cardRequest.Remove(2);
        cardRequest.Remove(14);
        cardRequest.Set(35, DemoCards.RichTrack2);
        return cardRequest;
    }

    private static IsoMessage AsReferenceAcquirer(IsoMessage cardRequest)
    {
        cardRequest.Set(22, "021");
        cardRequest.Set(32, "400001");
        return cardRequest;
    }
}
