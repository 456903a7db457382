using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using SocketAtm.Protocol.Masking;
using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Ledger.Writer;
using SocketAtm.Server.Security;

namespace SocketAtm.Server.Ledger;

/// <summary>
/// What every store's ledger is beside its storage: financial requests go through one bounded <see cref="LedgerQueue"/>
/// to the store's single writer (a full queue answers 91 at once; after a storage failure every queued call fails with
/// <see cref="LedgerUnavailableException"/> and the host is told, while terminal, PVK and CVK reads go on answering); terminals are checked before they are stored and
/// served through a <see cref="TerminalRecordCache"/>; a key exchange stores its keys as pending, and their first use
/// makes them current, keeping the replaced keys for the overlap; unblocking
/// a card clears its PIN tries. A store derives from this and provides the storage: its writer, its reads and its
/// admin writes.
/// </summary>
internal abstract partial class QueuedLedger : ILedger, ILedgerAdmin, Acquiring.IAcquirerLedger
{
    private PinVerificationKey? _pinVerificationKey;
    private CardVerificationKey? _cardVerificationKey;
    private RepeatPruning? _pruning;

    /// <param name="terminalsFreshFor">How long a terminal read is served from memory (infinite for a store whose every write passes through this host).</param>
    /// <param name="onFatal">Called once, from the writer, when storage fails; the host should stop.</param>
    /// <param name="meterFactory">Creates the "SocketAtm" meter; null for a meter of the ledger's own.</param>
    protected QueuedLedger(
        LedgerOptions options, TimeProvider time, TimeSpan terminalsFreshFor, Action<Exception>? onFatal, IMeterFactory? meterFactory, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        Time = time;
        Logger = logger;
        Metrics = new LedgerMetrics(meterFactory);
        Queue = new LedgerQueue(options.QueueCapacity, Metrics, onFatal, logger);
        Terminals = new TerminalRecordCache(terminalsFreshFor);
    }

    protected LedgerOptions Options { get; }

    /// <summary>The time the ledger decides by.</summary>
    protected TimeProvider Time { get; }

    protected ILogger Logger { get; }

    protected LedgerMetrics Metrics { get; }

    /// <summary>The queue to the store's writer, which the writer is given.</summary>
    protected LedgerQueue Queue { get; }

    /// <summary>This host's terminal records; every terminal write offers what it stored.</summary>
    protected TerminalRecordCache Terminals { get; }

    /// <summary>"Not registered" answers held in memory now (at most <see cref="TerminalRecordCache.MaxNotRegistered"/>).</summary>
    internal int NotRegisteredTerminalsHeld => Terminals.NotRegisteredCount;

    /// <summary>The PVK read when the ledger opened.</summary>
    /// <exception cref="InvalidOperationException">The ledger has not opened.</exception>
    protected PinVerificationKey PinVerificationKey
    {
        get => _pinVerificationKey ?? throw new InvalidOperationException("The ledger is not open.");
        set => _pinVerificationKey = value;
    }

    /// <summary>The CVK read when the ledger opened (a ledger that held none got one as it opened: <see cref="CardVerificationKeys"/>).</summary>
    /// <exception cref="InvalidOperationException">The ledger has not opened.</exception>
    protected CardVerificationKey CardVerificationKey
    {
        get => _cardVerificationKey ?? throw new InvalidOperationException("The ledger is not open.");
        set => _cardVerificationKey = value;
    }

    /// <summary>Completes when the store's writer has stopped: the queue drained after <see cref="DisposeAsync"/>, or storage failed.</summary>
    protected abstract Task WriterStopped { get; }

    /// <inheritdoc/>
    /// <remarks>
    /// Cancelling stops the wait, not the work: a request already queued is still applied, and its stored outcome is
    /// what a repeat gets back.
    /// </remarks>
    public ValueTask<LedgerOutcome> ExecuteAsync(LedgerRequest request, CancellationToken cancellationToken) =>
        Queue.SubmitAsync(request, requestSpan: null, cancellationToken);

    /// <inheritdoc/>
    /// <remarks>The commit's span runs from the request's submission to its batch being durable (or failing).</remarks>
    public ValueTask<LedgerOutcome> ExecuteAsync(LedgerRequest request, Activity? requestSpan, CancellationToken cancellationToken) =>
        Queue.SubmitAsync(request, requestSpan, cancellationToken);

    public abstract ValueTask<TerminalRecord?> FindTerminalAsync(string terminalId, CancellationToken cancellationToken);

    public ValueTask<PinVerificationKey> GetPinVerificationKeyAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(PinVerificationKey);

    public ValueTask<CardVerificationKey> GetCardVerificationKeyAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(CardVerificationKey);

    /// <remarks>This ledger serves the new key at once; other hosts (and processes) read it at their next start.</remarks>
    public async Task ImportCardVerificationKeyAsync(byte[] key, CancellationToken cancellationToken)
    {
        var imported = new CardVerificationKey(KeyMaterial.RequireDoubleLength(key, nameof(key)));
        await StoreCardVerificationKeyAsync(imported, replaceOnlyDemoKey: false, cancellationToken);
        CardVerificationKey = imported;
    }

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
            // No fallback to the published demo keys: a terminal registered without a key would be open to anyone.
            MasterKey = KeyMaterial.RequireDoubleLength(terminal.MasterKey ?? throw MissingKey(terminal, "master key (TMK)"), nameof(terminal)),
            PinKey = KeyMaterial.RequireDoubleLength(terminal.PinKey ?? throw MissingKey(terminal, "PIN key (TPK)"), nameof(terminal)),
            MacKey = KeyMaterial.RequireDoubleLength(terminal.MacKey ?? throw MissingKey(terminal, "MAC key (TAK)"), nameof(terminal)),
        };
        var stored = await StoreTerminalAsync(record, terminal.ReplaceExisting, cancellationToken);
        Terminals.Offer(stored.TerminalId, stored, Stopwatch.GetTimestamp());
    }

    public async Task<IReadOnlyList<string>> FindRegisteredTerminalsAsync(IEnumerable<string> terminalIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(terminalIds);
        var registered = (await ListTerminalsAsync(cancellationToken)).Select(terminal => terminal.TerminalId).ToHashSet(StringComparer.Ordinal);
        return [.. terminalIds.Where(registered.Contains)];
    }

    public async Task<PendingKeysResult> StorePendingKeysAsync(
        string terminalId, byte[] pinKey, byte[] macKey, KeyExchangeRequest exchange, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        var newPinKey = KeyMaterial.RequireDoubleLength(pinKey, nameof(pinKey));
        var newMacKey = KeyMaterial.RequireDoubleLength(macKey, nameof(macKey));
        var order = KeyExchangeOrder.Later;
        var updated = await ChangeTerminalKeysAsync(
            terminalId,
            stored =>
            {
                // A retry of this very call (only its answer was lost) finds these keys pending: storing them again would
                // only advance the version.
                if (stored.HasPendingKeys(newPinKey, newMacKey))
                {
                    order = KeyExchangeOrder.Later;
                    return stored;
                }

                order = stored.OrderOf(exchange);
                return order == KeyExchangeOrder.Later ? stored.WithPendingKeys(newPinKey, newMacKey, exchange) : stored;
            },
            cancellationToken);
        Terminals.Offer(updated.TerminalId, updated, Stopwatch.GetTimestamp());
        return new PendingKeysResult(order, updated);
    }

    public async Task<KeyPromotion> PromotePendingKeysAsync(string terminalId, byte[] pinKey, byte[] macKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pinKey);
        ArgumentNullException.ThrowIfNull(macKey);
        var promoted = false;
        var updated = await ChangeTerminalKeysAsync(
            terminalId,
            stored =>
            {
                // Conditional on the keys as stored, read in the same transaction: only keys still pending are promoted,
                // so two hosts (or two requests) that saw the same pending keys promote them once, and keys a later
                // exchange replaced never become current. Run again after a lost answer, this decides afresh.
                promoted = stored.HasPendingKeys(pinKey, macKey);
                return promoted ? stored.WithPendingKeysPromoted(Time.GetUtcNow() + Options.KeyOverlap) : stored;
            },
            cancellationToken);
        Terminals.Offer(updated.TerminalId, updated, Stopwatch.GetTimestamp());
        return new KeyPromotion(updated, promoted);
    }

    public async Task SetTerminalEnabledAsync(string terminalId, bool enabled, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(terminalId);
        var updated = await ChangeTerminalKeysAsync(
            terminalId,
            // A new version, so that no cached read of the old state outranks it (PostgreSQL advances it on every write anyway).
            stored => stored.Enabled == enabled ? stored : stored with { Enabled = enabled, KeyVersion = stored.KeyVersion + 1 },
            cancellationToken);
        Terminals.Offer(updated.TerminalId, updated, Stopwatch.GetTimestamp());
    }

    public async Task SetTerminalMasterKeyAsync(string terminalId, byte[] masterKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(terminalId);
        var newMasterKey = KeyMaterial.RequireDoubleLength(masterKey, nameof(masterKey));
        var updated = await ChangeTerminalKeysAsync(
            terminalId,
            stored => System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(stored.MasterKey, newMasterKey)
                ? stored
                : stored with { MasterKey = newMasterKey, KeyVersion = stored.KeyVersion + 1 },
            cancellationToken);
        Terminals.Offer(updated.TerminalId, updated, Stopwatch.GetTimestamp());
    }

    public abstract Task AddCardsAsync(IReadOnlyList<CardRegistration> cards, CancellationToken cancellationToken);

    /// <remarks>Unblocking (to <see cref="CardStatus.Active"/>) gives the card its PIN tries back; any other status keeps the count.</remarks>
    public Task SetCardStatusAsync(string pan, CardStatus status, CancellationToken cancellationToken) =>
        StoreCardStatusAsync(pan, status, clearPinTries: status == CardStatus.Active, cancellationToken);

    public abstract Task<CardBalance?> GetCardBalanceAsync(string pan, CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<JournalRecord>> ListJournalForTerminalAsync(string terminalId, int limit, CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<JournalRecord>> ListJournalForCardAsync(string pan, int limit, CancellationToken cancellationToken);

    public abstract Task<InvariantReport> VerifyInvariantsAsync(CancellationToken cancellationToken);

    public async Task ImportPinVerificationKeyAsync(PinVerificationKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var ring = await StorePinVerificationKeyAsync(key, cancellationToken);

        // Cards added through this ledger from now on are issued under it.
        PinVerificationKey = ring.Issuing;
    }

    public async Task<IReadOnlyList<HeldPinVerificationKey>> ListPinVerificationKeysAsync(CancellationToken cancellationToken)
    {
        var (ring, cardsByIndex) = await ReadPinVerificationKeysAsync(cancellationToken);
        var held = ring.All.Select(key => new HeldPinVerificationKey(
            key.Index, Protocol.Security.KeyCheckValue.ToHex(key.Key), ReferenceEquals(key, ring.Issuing), cardsByIndex.GetValueOrDefault(key.Index)));
        var missing = cardsByIndex.Where(pair => ring.Find(pair.Key) is null).Select(pair => new HeldPinVerificationKey(pair.Key, null, false, pair.Value));
        return [.. held.Concat(missing).OrderBy(key => key.Index)];
    }

    public async Task<IReadOnlyList<string>> ListTerminalsWithoutMacAsync(CancellationToken cancellationToken) =>
        [.. (await ListTerminalsAsync(cancellationToken))
            .Where(terminal => terminal is { Enabled: true, RequiresMac: false })
            .Select(terminal => terminal.TerminalId)
            .Order(StringComparer.Ordinal)];

    public async Task<DemoDataInventory> FindDemoDataAsync(CancellationToken cancellationToken)
    {
        var terminals = (await ListTerminalsAsync(cancellationToken)).Where(DemoData.IsDemoTerminal).Select(terminal => terminal.TerminalId).ToList();
        var cards = 0;
        foreach (var pan in DemoData.CardNumbers())
        {
            if (await GetCardBalanceAsync(pan, cancellationToken) is not null)
            {
                cards++;
            }
        }

        var (ring, _) = await ReadPinVerificationKeysAsync(cancellationToken);
        return new DemoDataInventory(
            terminals, ring.All.Any(DemoData.IsDemoPinVerificationKey), cards, DemoData.IsDemoCardVerificationKey(CardVerificationKey));
    }

    public async Task<DemoDataRemoval> RemoveDemoDataAsync(CancellationToken cancellationToken)
    {
        var replacement = new PinVerificationKey(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16), 1);
        var removal = await RemoveDemoDataFromStoreAsync(replacement, cancellationToken);
        foreach (var terminalId in removal.TerminalsRemoved)
        {
            Terminals.Forget(terminalId);
        }

        if (removal.PinVerificationKeyReplaced)
        {
            // Cards added through this ledger from now on are issued under the key now issuing (the replacement, when
            // the demo PVK was the issuing one).
            PinVerificationKey = (await ReadPinVerificationKeysAsync(cancellationToken)).Ring.Issuing;
        }

        // A transaction of its own, after the rest: interrupted in between, the ledger still holds the demo CVK, a host off
        // loopback still refuses it, and running the removal again replaces it.
        var cvkReplacement = CardVerificationKeys.Random();
        var replacedCvk = await StoreCardVerificationKeyAsync(cvkReplacement, replaceOnlyDemoKey: true, cancellationToken);
        if (replacedCvk)
        {
            CardVerificationKey = cvkReplacement;
        }

        return removal with { CardVerificationKeyReplaced = replacedCvk };
    }

    /// <summary>Prunes every stored answer and marker older than <see cref="LedgerOptions.RepeatRetention"/> now; returns how many went.</summary>
    internal Task<int> PruneExpiredRepeatsAsync(CancellationToken cancellationToken) =>
        (_pruning ?? throw new InvalidOperationException("The ledger is not open.")).PruneExpiredAsync(cancellationToken);

    /// <summary>Finishes what is queued, lets the writer stop, then releases the storage.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_pruning is { } pruning)
        {
            _pruning = null;
            await pruning.DisposeAsync();
        }

        if (Queue.Close())
        {
            await WriterStopped;
            await ReleaseStorageAsync();
            Metrics.Dispose();
        }
        else
        {
            await WriterStopped;
        }
    }

    /// <summary>
    /// In one transaction: stores a checked, newly registered terminal, replacing one of its id when
    /// <paramref name="replace"/> (otherwise that is <see cref="TerminalAlreadyRegisteredException"/>, and nothing is
    /// stored); returns it as stored, with a key version one above the replaced one's (a newer version, which no cached
    /// read outranks).
    /// </summary>
    protected abstract Task<TerminalRecord> StoreTerminalAsync(TerminalRecord terminal, bool replace, CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction: reads the terminal as stored (<see cref="TerminalNotRegistered"/> when it is not), applies
    /// <paramref name="change"/> to it, stores the result unless it is the record it was given, and returns what is stored.
    /// Key exchanges and promotions use it, and so do enabling or disabling a terminal and setting its TMK.
    /// </summary>
    protected abstract Task<TerminalRecord> ChangeTerminalKeysAsync(
        string terminalId, Func<TerminalRecord, TerminalRecord> change, CancellationToken cancellationToken);

    /// <summary>Sets the card's status, and its PIN tries to 0 when <paramref name="clearPinTries"/>; <see cref="CardNotOnFile"/> when there is no such card.</summary>
    protected abstract Task StoreCardStatusAsync(string pan, CardStatus status, bool clearPinTries, CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction: reads the PVKs held and counts the cards under <paramref name="key"/>'s PVKI, applies
    /// <see cref="PinVerificationKeyRing.Import"/>, stores the result and has the writer verify under it; returns it.
    /// </summary>
    protected abstract Task<PinVerificationKeyRing> StorePinVerificationKeyAsync(PinVerificationKey key, CancellationToken cancellationToken);

    /// <summary>The PVKs as stored, and how many cards name each PVKI.</summary>
    protected abstract Task<(PinVerificationKeyRing Ring, IReadOnlyDictionary<int, int> CardsByIndex)> ReadPinVerificationKeysAsync(CancellationToken cancellationToken);

    /// <summary>Every registered terminal, as stored.</summary>
    protected abstract Task<IReadOnlyList<TerminalRecord>> ListTerminalsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction: deletes the terminals with a demo key, deletes the demo cards no journal row refers to (with
    /// their accounts and daily usage) and disables the others, and takes the demo PVK out: when it is the issuing PVK,
    /// the key of <paramref name="replacement"/> takes its place under the same PVKI; otherwise it is deleted. The writer
    /// verifies under what is stored from then on.
    /// </summary>
    protected abstract Task<DemoDataRemoval> RemoveDemoDataFromStoreAsync(PinVerificationKey replacement, CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="key"/> as the CVK (encrypted under the key-encryption key) in a transaction of its own; with
    /// <paramref name="replaceOnlyDemoKey"/>, only when the stored CVK is the demo one. True when it was stored.
    /// </summary>
    protected abstract Task<bool> StoreCardVerificationKeyAsync(CardVerificationKey key, bool replaceOnlyDemoKey, CancellationToken cancellationToken);

    /// <summary>Starts pruning expired stored answers and markers in the background (<see cref="RepeatPruning"/>); once open.</summary>
    protected void StartPruning()
    {
        _pruning = new RepeatPruning(PruneExpiredAsync, Options.RepeatRetention, Time, Logger);
        _pruning.Start();
    }

    /// <summary>
    /// Deletes at most <paramref name="limit"/> stored answers and reversal markers decided (or left) before
    /// <paramref name="cutoff"/>, never a journal row; returns how many went.
    /// </summary>
    protected internal abstract Task<int> PruneExpiredAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken);

    /// <summary>Releases what the store holds once its writer has stopped.</summary>
    protected virtual ValueTask ReleaseStorageAsync() => ValueTask.CompletedTask;

    protected static ArgumentException TerminalNotRegistered(string terminalId) =>
        new($"Terminal {terminalId} is not registered.", nameof(terminalId));

    private static ArgumentException MissingKey(TerminalRegistration terminal, string key) =>
        new($"Terminal {terminal.TerminalId} needs its {key}; no key falls back to the published demo keys.", nameof(terminal));

    protected static ArgumentException CardNotOnFile(string pan) => new($"Card {SensitiveData.MaskPan(pan)} is not on file.", nameof(pan));
}
