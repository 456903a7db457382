using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using SocketAtm.Bench.WholePath;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.LiteDb;
using SocketAtm.Server.Security;

namespace SocketAtm.Bench.Store;

/// <summary>
/// The store alone: <see cref="Withdrawals"/> withdrawals handed to <see cref="LiteDbLedger.ExecuteAsync"/> at once and
/// all awaited, i.e. what one group commit of that many costs: decide, apply, journal, commit and sync the log to disk
/// (real files in a temporary directory). The "Per withdrawal" column divides the mean by the batch size.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PerWithdrawalConfig))]
public class GroupCommitBenchmarks
{
    /// <summary>Below demo card 5's 100,000 withdrawals a day, after which the clock moves to the next day.</summary>
    private const int WithdrawalsPerDay = 90_000;

    private const int StanCount = 999_999;

    private readonly BenchmarkClock _clock = new();
    private MeterListener? _batchSizes;
    private LiteDbLedger _ledger = null!;
    private Task<LedgerOutcome>[] _pending = [];
    private string _dataDirectory = null!;
    private string _candidatePvv = null!;
    private string _transmissionDateTime = null!;
    private long _sent;
    private long _batches;
    private long _batched;
    private int _withdrawalsToday;

    /// <summary>Withdrawals in the batch.</summary>
    [Params(1, 10, 100)]
    public int Withdrawals { get; set; }

    /// <summary>Opens a fresh, seeded ledger in a temporary directory and counts the group commits it makes.</summary>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        _dataDirectory = Path.Combine(Path.GetTempPath(), "socketatm-bench-" + Guid.NewGuid().ToString("N"));
        _ledger = await LiteDbLedger.OpenAsync(new LedgerOptions { DataDirectory = _dataDirectory }, _clock);
        _pending = new Task<LedgerOutcome>[Withdrawals];

        // The session would compute this from the PIN block; the store only compares it with the card's PVV.
        var pinVerificationKey = await _ledger.GetPinVerificationKeyAsync(CancellationToken.None);
        Span<byte> pvv = stackalloc byte[4];
        PinVerificationValue.Compute(
            pinVerificationKey.Key, Encoding.ASCII.GetBytes(TerminalRequests.LoadCardPan), pinVerificationKey.Index, "3333"u8, pvv);
        _candidatePvv = Encoding.ASCII.GetString(pvv);

        _batchSizes = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == "socketatm.ledger.batch.size")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _batchSizes.SetMeasurementEventCallback<int>((_, size, _, _) =>
        {
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _batched, size);
        });
        _batchSizes.Start();
    }

    /// <summary>One batch: every withdrawal queued before the first is awaited, all approved.</summary>
    [Benchmark]
    public async Task<int> CommitBatch()
    {
        for (var i = 0; i < _pending.Length; i++)
        {
            _pending[i] = _ledger.ExecuteAsync(NextWithdrawal(), CancellationToken.None).AsTask();
        }

        var approved = 0;
        foreach (var pending in _pending)
        {
            approved += (await pending).IsApproved ? 1 : 0;
        }

        return approved == _pending.Length
            ? approved
            : throw new InvalidOperationException($"Only {approved} of {_pending.Length} withdrawals were approved: the benchmark would time refusals.");
    }

    /// <summary>Reports how the batches actually formed: the writer may wake up before the last withdrawal is queued.</summary>
    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _batchSizes?.Dispose();
        var batches = Interlocked.Read(ref _batches);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"// {Withdrawals} withdrawals per batch: {Interlocked.Read(ref _batched)} withdrawals in {batches} group commits, {(double)Interlocked.Read(ref _batched) / Math.Max(1, batches):F1} per commit on average"));
        await _ledger.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    private LedgerRequest NextWithdrawal()
    {
        if (++_withdrawalsToday > WithdrawalsPerDay)
        {
            _clock.NextDay();
            _withdrawalsToday = 1;
        }

        var sent = _sent++;
        var stan = (int)(sent % StanCount) + 1;
        if (stan == 1)
        {
            _transmissionDateTime = new DateTime(2026, 4, 15, 10, 30, 0, DateTimeKind.Utc)
                .AddSeconds(sent / StanCount)
                .ToString("MMddHHmmss", CultureInfo.InvariantCulture);
        }

        return new LedgerRequest
        {
            Kind = TransactionKind.Withdrawal,
            Key = new RequestKey("00000400001", TerminalRequests.TerminalId, stan, _transmissionDateTime),
            Mti = 200,
            Pan = TerminalRequests.LoadCardPan,
            AccountType = AccountType.Checking,
            Amount = TerminalRequests.WithdrawalAmount,
            Currency = DemoData.Currency,
            HasPinBlock = true,
            CandidatePvv = _candidatePvv,
            ReceivedAt = _clock.GetUtcNow(),
        };
    }
}
