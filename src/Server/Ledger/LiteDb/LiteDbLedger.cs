using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SocketAtm.Protocol.Masking;
using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Ledger.Writer;
using SocketAtm.Server.Security;

namespace SocketAtm.Server.Ledger.LiteDb;

/// <summary>
/// The embedded ledger on LiteDB. Sessions call <see cref="ExecuteAsync"/> from any thread; requests go through a
/// bounded queue to the single <see cref="GroupCommitWriter"/>, which applies them in group commits and completes
/// each only once it is durable. A full queue answers 91 at once. Terminals and the PVK are served from memory.
/// After a storage failure every call fails with <see cref="LedgerUnavailableException"/> and the host is told
/// through the <c>onFatal</c> callback; the ledger never serves from a broken engine.
/// </summary>
internal sealed class LiteDbLedger : ILedger, ILedgerAdmin
{
    private static readonly LedgerOutcome Saturated = new() { ResponseCode = ResponseCodes.IssuerUnavailable };

    private readonly LedgerOptions _options;
    private readonly TimeProvider _time;
    private readonly Channel<LedgerWork> _queue;
    private readonly GroupCommitWriter _writer;
    private readonly LedgerMetrics _metrics;
    private readonly ILogger _logger;
    /// <summary>Every terminal, loaded at open; each write puts what it stored (two key exchanges may finish in either order).</summary>
    private readonly TerminalRecordCache _terminals = new(Timeout.InfiniteTimeSpan);
    private PinVerificationKey? _pinVerificationKey;
    private readonly LedgerFailure _failure;
    private int _closing;

    private LiteDbLedger(
        LedgerOptions options,
        TimeProvider time,
        Action<Exception>? onFatal,
        IMeterFactory? meterFactory,
        ILogger? logger,
        IDurableStreamFactory? streams)
    {
        _options = options;
        _time = time;
        _logger = logger ?? NullLogger.Instance;
        _failure = new LedgerFailure(onFatal, _logger);
        _metrics = new LedgerMetrics(meterFactory);
        _queue = Channel.CreateBounded<LedgerWork>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writer = new GroupCommitWriter(
            options, _queue.Reader, time, streams ?? DurableFileStreamFactory.Instance, _metrics, _logger, OnStorageFailure);
    }

    /// <summary>
    /// Opens (creating, recovering and, when empty, seeding) the ledger in <see cref="LedgerOptions.DataDirectory"/>,
    /// checks its invariants and starts its writer.
    /// </summary>
    /// <param name="onFatal">Called once, from the writer thread, when storage fails; the host should stop.</param>
    /// <param name="meterFactory">Creates the "SocketAtm" meter; null for a meter of the ledger's own.</param>
    /// <param name="streams">Opens the data and log files; null for real, synced files.</param>
    /// <exception cref="LedgerStartupException">The ledger cannot be opened; the message is one printable line.</exception>
    public static async Task<LiteDbLedger> OpenAsync(
        LedgerOptions options,
        TimeProvider timeProvider,
        Action<Exception>? onFatal = null,
        IMeterFactory? meterFactory = null,
        ILogger? logger = null,
        IDurableStreamFactory? streams = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var ledger = new LiteDbLedger(options, timeProvider, onFatal, meterFactory, logger, streams);
        ledger._writer.Start();
        try
        {
            var state = await ledger._writer.Opened;
            foreach (var terminal in state.Terminals)
            {
                ledger._terminals.Offer(terminal.TerminalId, terminal, Stopwatch.GetTimestamp());
            }

            ledger._pinVerificationKey = state.PinVerificationKey;
            return ledger;
        }
        catch (LedgerStartupException)
        {
            ledger._metrics.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Cancelling stops the wait, not the work: a request already queued is still applied, and its stored outcome is
    /// what a repeat gets back.
    /// </remarks>
    public ValueTask<LedgerOutcome> ExecuteAsync(LedgerRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<LedgerOutcome>(cancellationToken);
        }

        var work = new RequestWork(request);
        if (!_queue.Writer.TryWrite(work))
        {
            if (_failure.HasFailed || Volatile.Read(ref _closing) != 0)
            {
                return ValueTask.FromException<LedgerOutcome>(_failure.Unavailable());
            }

            _metrics.RecordSaturated();
            return new ValueTask<LedgerOutcome>(Saturated);
        }

        return new ValueTask<LedgerOutcome>(
            cancellationToken.CanBeCanceled ? work.Completion.WaitAsync(cancellationToken) : work.Completion);
    }

    public ValueTask<TerminalRecord?> FindTerminalAsync(string terminalId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_terminals.Find(terminalId));

    public ValueTask<PinVerificationKey> GetPinVerificationKeyAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(_pinVerificationKey ?? throw new InvalidOperationException("The ledger is not open."));

    public async Task AddTerminalAsync(TerminalRegistration terminal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(terminal);
        if (terminal.TerminalId is not { Length: 8 })
        {
            throw new ArgumentException("A terminal id is 8 characters.", nameof(terminal));
        }

        var record = new TerminalRecord
        {
            TerminalId = terminal.TerminalId,
            Enabled = terminal.Enabled,
            RequiresMac = terminal.RequiresMac,
            MasterKey = KeyMaterial.RequireDoubleLength(terminal.MasterKey ?? DemoData.TerminalMasterKey, nameof(terminal)),
            PinKey = KeyMaterial.RequireDoubleLength(terminal.PinKey ?? DemoData.TerminalPinKey, nameof(terminal)),
            MacKey = KeyMaterial.RequireDoubleLength(terminal.MacKey ?? DemoData.TerminalMacKey, nameof(terminal)),
        };
        var stored = await RunAdminAsync(
            (store, _) =>
            {
                // Registered again, it may have other keys: a newer version, which no cached read outranks.
                var registered = record with { KeyVersion = (store.FindTerminalKeyVersion(record.TerminalId) ?? 0) + 1 };
                store.UpsertTerminal(registered);
                return registered;
            },
            isReadOnly: false,
            cancellationToken);
        _terminals.Offer(stored.TerminalId, stored, Stopwatch.GetTimestamp());
    }

    public async Task UpdateTerminalKeysAsync(string terminalId, byte[] pinKey, byte[] macKey, CancellationToken cancellationToken)
    {
        var newPinKey = KeyMaterial.RequireDoubleLength(pinKey, nameof(pinKey));
        var newMacKey = KeyMaterial.RequireDoubleLength(macKey, nameof(macKey));
        var updated = await RunAdminAsync(
            (store, _) =>
            {
                var terminal = store.FindTerminal(terminalId)
                    ?? throw new ArgumentException($"Terminal {terminalId} is not registered.", nameof(terminalId));
                if (terminal.HasWorkingKeys(newPinKey, newMacKey))
                {
                    // A retry of an update already stored: these keys must not become their own "previous" ones.
                    return terminal;
                }

                var changed = terminal.WithExchangedKeys(newPinKey, newMacKey, _time.GetUtcNow() + _options.KeyOverlap);
                store.UpsertTerminal(changed);
                return changed;
            },
            isReadOnly: false,
            cancellationToken);
        _terminals.Offer(updated.TerminalId, updated, Stopwatch.GetTimestamp());
    }

    public Task AddCardsAsync(IReadOnlyList<CardRegistration> cards, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cards);
        return RunAdminAsync(
            (store, _) =>
            {
                var pinVerificationKey = store.FindPinVerificationKey()
                    ?? throw new InvalidOperationException("The ledger holds no PIN verification key.");
                var sequences = store.LoadSequences();
                var pans = new HashSet<string>(StringComparer.Ordinal);
                var issued = new List<(CardRecord Card, AccountRecord Account)>(cards.Count);
                foreach (var card in cards)
                {
                    ArgumentNullException.ThrowIfNull(card, nameof(cards));
                    if (!pans.Add(card.Pan) || store.FindCardByPan(card.Pan) is not null)
                    {
                        throw new ArgumentException($"Card {SensitiveData.MaskPan(card.Pan)} is already on file.", nameof(cards));
                    }

                    issued.Add(CardIssuer.Issue(card, pinVerificationKey, sequences, _options));
                }

                store.InsertAccounts(issued.Select(pair => pair.Account));
                store.InsertCards(issued.Select(pair => pair.Card));
                store.SaveSequences(sequences);
                return issued.Count;
            },
            isReadOnly: false,
            cancellationToken);
    }

    public Task SetCardStatusAsync(string pan, CardStatus status, CancellationToken cancellationToken) =>
        RunAdminAsync(
            (store, _) =>
            {
                var card = store.FindCardByPan(pan)
                    ?? throw new ArgumentException($"Card {SensitiveData.MaskPan(pan)} is not on file.", nameof(pan));
                store.UpdateCard(card with { Status = status, PinTries = status == CardStatus.Active ? 0 : card.PinTries });
                return card.Id;
            },
            isReadOnly: false,
            cancellationToken);

    public Task<CardBalance?> GetCardBalanceAsync(string pan, CancellationToken cancellationToken) =>
        RunAdminAsync(
            (store, now) =>
            {
                if (store.FindCardByPan(pan) is not { Accounts.Count: > 0 } card || store.FindAccount(card.Accounts[0].AccountId) is not { } account)
                {
                    return null;
                }

                var usage = store.FindDailyUsage(card.Id, DailyUsageRecord.BusinessDay(now));
                return new CardBalance
                {
                    MaskedPan = card.MaskedPan,
                    Status = card.Status,
                    PinTries = card.PinTries,
                    Expiry = card.Expiry,
                    AccountId = account.Id,
                    AccountType = account.Type,
                    Currency = account.Currency,
                    LedgerBalance = account.Balance,
                    AvailableBalance = account.Balance,
                    UsedToday = usage?.Amount ?? 0,
                    WithdrawalsToday = usage?.Count ?? 0,
                    DailyAmountLimit = card.DailyAmountLimit,
                    DailyCountLimit = card.DailyCountLimit,
                };
            },
            isReadOnly: true,
            cancellationToken);

    public Task<IReadOnlyList<JournalRecord>> ListJournalForTerminalAsync(string terminalId, int limit, CancellationToken cancellationToken) =>
        RunAdminAsync((store, _) => store.LatestJournalForTerminal(terminalId, limit), isReadOnly: true, cancellationToken);

    public Task<IReadOnlyList<JournalRecord>> ListJournalForCardAsync(string pan, int limit, CancellationToken cancellationToken) =>
        RunAdminAsync(
            (store, _) => store.FindCardByPan(pan) is { } card ? store.LatestJournalForCard(card.Id, limit) : [],
            isReadOnly: true,
            cancellationToken);

    public Task<InvariantReport> VerifyInvariantsAsync(CancellationToken cancellationToken) =>
        RunAdminAsync((store, _) => LedgerInvariants.Check(store), isReadOnly: true, cancellationToken);

    /// <summary>Finishes what is queued, checkpoints, syncs and closes the database.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _closing, 1) == 0)
        {
            _queue.Writer.TryComplete();
            await _writer.Stopped;
            _metrics.Dispose();
        }
        else
        {
            await _writer.Stopped;
        }
    }

    private async Task<T> RunAdminAsync<T>(Func<LedgerStore, DateTimeOffset, T> operation, bool isReadOnly, CancellationToken cancellationToken)
    {
        var work = new AdminWork<T>(operation, isReadOnly);
        try
        {
            await _queue.Writer.WriteAsync(work, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            throw _failure.Unavailable();
        }

        return await work.Completion.WaitAsync(cancellationToken);
    }


    private void OnStorageFailure(Exception exception) => _failure.Record(exception, () => _queue.Writer.TryComplete());


    /// <summary>The time the ledger decides by; exposed for tests that move it.</summary>
    internal TimeProvider TimeProvider => _time;
}
