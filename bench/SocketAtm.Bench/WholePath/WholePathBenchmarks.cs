using BenchmarkDotNet.Attributes;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.LiteDb;

namespace SocketAtm.Bench.WholePath;

/// <summary>
/// One request and its response through the whole host in process: the request frame is written into the session's
/// input pipe, and the operation ends when the response frame has been read back and parsed. No sockets: what is
/// measured is the host's own cost per message (read loop, parse, dispatch, PIN decryption and PVV, ledger, build,
/// write loop) plus the terminal side's frame write and response parse (about 0.3 µs, see <c>CodecBenchmarks</c>).
/// </summary>
[MemoryDiagnoser]
public class WholePathBenchmarks
{
    /// <summary>Below demo card 5's 100,000 withdrawals a day, after which the clock moves to the next day.</summary>
    private const int WithdrawalsPerDay = 90_000;

    private readonly IsoMessage _response = new();
    private readonly BenchmarkClock _clock = new();
    private TerminalRequests _requests = null!;
    private ILedger _ledger = null!;
    private InMemoryHost _host = null!;
    private string? _dataDirectory;
    private int _withdrawalsToday;

    /// <summary>Who answers financial requests: an immediate in-memory ledger, or LiteDB with a durable group commit.</summary>
    [Params(LedgerKind.Immediate, LedgerKind.LiteDb)]
    public LedgerKind Ledger { get; set; }

    /// <summary>Opens the ledger (a fresh, seeded LiteDB database in a temporary directory), starts the session and signs on.</summary>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        if (Ledger == LedgerKind.LiteDb)
        {
            _dataDirectory = Path.Combine(Path.GetTempPath(), "socketatm-bench-" + Guid.NewGuid().ToString("N"));
            _ledger = await LiteDbLedger.OpenAsync(new LedgerOptions { DataDirectory = _dataDirectory }, _clock);
        }
        else
        {
            _ledger = new ImmediateLedger();
        }

        _host = new InMemoryHost(_ledger, await _ledger.GetPinVerificationKeyAsync(CancellationToken.None), _clock);
        _requests = new TerminalRequests(_clock);
        await _host.ExchangeAsync(_requests.SignOn, _response);
    }

    /// <summary>0800 echo test → 0810: framing, parse, dispatch and the terminal check, no ledger work.</summary>
    [Benchmark]
    public ValueTask Echo() => _host.ExchangeAsync(_requests.Echo, _response);

    /// <summary>0200 balance inquiry → 0210: adds PIN decryption, the PVV and the ledger's decision (journaled).</summary>
    [Benchmark]
    public ValueTask BalanceInquiry() => _host.ExchangeAsync(_requests.WithNextKey(_requests.BalanceInquiry), _response);

    /// <summary>0200 cash withdrawal of one cent → 0210 approval: the debit must be durable before the answer.</summary>
    [Benchmark]
    public ValueTask Withdrawal()
    {
        if (++_withdrawalsToday > WithdrawalsPerDay)
        {
            _clock.NextDay();
            _withdrawalsToday = 1;
        }

        return _host.ExchangeAsync(_requests.WithNextKey(_requests.Withdrawal), _response);
    }

    /// <summary>The same with track 2 (DE 35): adds reading the track and verifying its CVV under the CVK, then the card checks.</summary>
    [Benchmark]
    public ValueTask WithdrawalWithTrack2()
    {
        if (++_withdrawalsToday > WithdrawalsPerDay)
        {
            _clock.NextDay();
            _withdrawalsToday = 1;
        }

        return _host.ExchangeAsync(_requests.WithNextKey(_requests.WithdrawalWithTrack2), _response);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _host.DisposeAsync();
        await _ledger.DisposeAsync();
        if (_dataDirectory is not null)
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}
