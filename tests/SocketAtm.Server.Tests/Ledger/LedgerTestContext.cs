using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using SocketAtm.Protocol.Security;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.LiteDb;
using SocketAtm.Server.Security;

namespace SocketAtm.Server.Tests.Ledger;

/// <summary>A ledger in a temporary directory of its own, on a fake clock, with builders for requests against the demo data.</summary>
internal sealed class LedgerTestContext : IAsyncDisposable
{
    public const string Acquirer = "00000000000";
    public const string Terminal = "ATM00009";

    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Pan, string Pin), string> _pvvs = new();
    private int _nextStan;

    public LedgerTestContext(Action<LedgerOptions>? configure = null)
    {
        Directory = Path.Combine(Path.GetTempPath(), "socketatm-ledger-" + Guid.NewGuid().ToString("N"));
        Options = new LedgerOptions { DataDirectory = Directory, CheckpointEveryBatches = 50 };
        configure?.Invoke(Options);
    }

    public string Directory { get; }

    public LedgerOptions Options { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 15, 10, 0, 0, TimeSpan.Zero));

    public LiteDbLedger Ledger => _ledger ?? throw new InvalidOperationException("Open the ledger first.");

    public List<Exception> FatalErrors { get; } = [];

    /// <summary>Runs when the ledger tells its host of a storage failure, before the failure is added to <see cref="FatalErrors"/>.</summary>
    public Action<Exception>? OnFatal { get; set; }

    private LiteDbLedger? _ledger;

    /// <summary>A new context with its ledger open on a fresh demo database.</summary>
    public static async Task<LedgerTestContext> OpenedAsync(Action<LedgerOptions>? configure = null)
    {
        var context = new LedgerTestContext(configure);
        await context.OpenAsync();
        return context;
    }

    public async Task<LiteDbLedger> OpenAsync(IDurableStreamFactory? streams = null, IMeterFactory? meterFactory = null)
    {
        _ledger = await LiteDbLedger.OpenAsync(Options, Time, ReportFatal, meterFactory, streams: streams);
        return _ledger;
    }

    public async Task<LiteDbLedger> ReopenAsync(IDurableStreamFactory? streams = null)
    {
        await CloseAsync();
        return await OpenAsync(streams);
    }

    public async Task CloseAsync()
    {
        if (_ledger is not null)
        {
            await _ledger.DisposeAsync();
            _ledger = null;
        }
    }

    private void ReportFatal(Exception exception)
    {
        OnFatal?.Invoke(exception);
        FatalErrors.Add(exception);
    }

    public Task<LedgerOutcome> ExecuteAsync(LedgerRequest request) => Ledger.ExecuteAsync(request, CancellationToken.None).AsTask();

    public RequestKey NextKey(string terminal = Terminal) =>
        new(Acquirer, terminal, Interlocked.Increment(ref _nextStan), Time.GetUtcNow().ToString("MMddHHmmss", CultureInfo.InvariantCulture));

    public LedgerRequest Withdrawal(
        string pan, string pin, long amount, RequestKey? key = null, int mti = 200, int currency = DemoData.Currency,
        AccountType accountType = AccountType.Default) => new()
        {
            Kind = TransactionKind.Withdrawal,
            Key = key ?? NextKey(),
            Mti = mti,
            Pan = pan,
            AccountType = accountType,
            Amount = amount,
            Currency = currency,
            CandidatePvv = PvvOf(pan, pin),
            HasPinBlock = true,
            ReceivedAt = Time.GetUtcNow(),
        };

    /// <summary>
    /// A withdrawal as a session sends it: the terminal encrypted the PIN under <paramref name="terminalPinKey"/> (the
    /// keys it last received), the session verified it under the keys of <paramref name="sessionTerminal"/> (its cached record).
    /// </summary>
    public LedgerRequest WithdrawalThroughSession(TerminalRecord sessionTerminal, byte[] terminalPinKey, string pan, string pin, long amount)
    {
        var panDigits = Encoding.ASCII.GetBytes(pan);
        var block = new byte[PinBlock.Length];
        PinBlock.Encrypt(terminalPinKey, Encoding.ASCII.GetBytes(pin), panDigits, block);
        var pins = new PinVerifier();
        pins.Load(DemoData.PinVerificationKey);
        var verified = pins.Verify(sessionTerminal, panDigits, block, Time.GetUtcNow());
        return new LedgerRequest
        {
            Kind = TransactionKind.Withdrawal,
            Key = NextKey(sessionTerminal.TerminalId),
            Mti = 200,
            Pan = pan,
            Amount = amount,
            Currency = DemoData.Currency,
            HasPinBlock = true,
            CandidatePvv = verified.CandidatePvv,
            PreviousKeyCandidatePvv = verified.PreviousKeyCandidatePvv,
            EncryptedPinBlock = verified.EncryptedPinBlock,
            PinKeyVersion = verified.KeyVersion,
            ReceivedAt = Time.GetUtcNow(),
        };
    }

    public LedgerRequest BalanceInquiry(string pan, string pin, RequestKey? key = null, int mti = 200) => new()
    {
        Kind = TransactionKind.BalanceInquiry,
        Key = key ?? NextKey(),
        Mti = mti,
        Pan = pan,
        Currency = DemoData.Currency,
        CandidatePvv = PvvOf(pan, pin),
        HasPinBlock = true,
        ReceivedAt = Time.GetUtcNow(),
    };

    /// <summary>A reversal as its handler sends it: the PAN (DE 2) and amount (DE 4) must be the original's.</summary>
    public LedgerRequest Reversal(
        RequestKey original, long amount, long? dispensed = null, RequestKey? key = null, int mti = 400, string pan = DemoCards.Active) => new()
    {
        Kind = TransactionKind.Reversal,
        Key = key ?? NextKey(),
        Mti = mti,
        Pan = pan,
        Amount = amount,
        Currency = DemoData.Currency,
        OriginalKey = original,
        DispensedAmount = dispensed,
        ReceivedAt = Time.GetUtcNow(),
    };

    /// <summary>The PVV a session would compute from the PIN the cardholder typed.</summary>
    public string PvvOf(string pan, string pin) =>
        _pvvs.GetOrAdd((pan, pin), card => CardIssuer.ComputePvv(DemoData.PinVerificationKey, card.Pan, card.Pin));

    public async Task<CardBalance> BalanceOfAsync(string pan) =>
        await Ledger.GetCardBalanceAsync(pan, CancellationToken.None) ?? throw new InvalidOperationException("Card not on file.");

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
