using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SocketAtm.Protocol.Masking;
using SocketAtm.Server.Ledger.Acquiring;
using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Security;

namespace SocketAtm.Server.Ledger.LiteDb;

/// <summary>
/// The embedded ledger on LiteDB: the <see cref="QueuedLedger"/> shell over one <see cref="GroupCommitWriter"/>, which
/// applies requests in group commits and completes each only once it is durable. Terminals, the PVK and the CVK are
/// served from memory. Admin operations are queued to the same writer, so they are ordered with the financial requests. After a
/// storage failure the ledger never serves from the broken engine again.
/// </summary>
internal sealed class LiteDbLedger : QueuedLedger
{
    private readonly GroupCommitWriter _writer;

    // Every terminal is loaded at open and every write offers what it stored: the cache is never stale, so never expires.
    private LiteDbLedger(
        LedgerOptions options,
        TimeProvider time,
        Action<Exception>? onFatal,
        IMeterFactory? meterFactory,
        ILogger? logger,
        IDurableStreamFactory? streams)
        : base(options, time, Timeout.InfiniteTimeSpan, onFatal, meterFactory, logger ?? NullLogger.Instance)
    {
        _writer = new GroupCommitWriter(options, Queue, time, streams ?? DurableFileStreamFactory.Instance, Metrics, Logger);
    }

    protected override Task WriterStopped => _writer.Stopped;

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
                ledger.Terminals.Offer(terminal.TerminalId, terminal, Stopwatch.GetTimestamp());
            }

            ledger.PinVerificationKey = state.PinVerificationKey;
            ledger.CardVerificationKey = state.CardVerificationKey;
            ledger.StartPruning();
            return ledger;
        }
        catch (LedgerStartupException)
        {
            ledger.Metrics.Dispose();
            throw;
        }
    }

    public override ValueTask<TerminalRecord?> FindTerminalAsync(string terminalId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Terminals.Find(terminalId));

    protected override Task<TerminalRecord> StoreTerminalAsync(TerminalRecord terminal, bool replace, CancellationToken cancellationToken) =>
        RunAdminAsync(
            (store, _) =>
            {
                var replacedVersion = store.FindTerminalKeyVersion(terminal.TerminalId);
                if (replacedVersion is not null && !replace)
                {
                    throw new TerminalAlreadyRegisteredException(terminal.TerminalId);
                }

                var registered = terminal with { KeyVersion = (replacedVersion ?? 0) + 1 };
                store.UpsertTerminal(registered);
                return registered;
            },
            isReadOnly: false,
            cancellationToken);

    protected override Task<TerminalRecord> ChangeTerminalKeysAsync(
        string terminalId, Func<TerminalRecord, TerminalRecord> change, CancellationToken cancellationToken) =>
        RunAdminAsync(
            (store, _) =>
            {
                var terminal = store.FindTerminal(terminalId) ?? throw TerminalNotRegistered(terminalId);
                var changed = change(terminal);
                if (!ReferenceEquals(changed, terminal))
                {
                    store.UpsertTerminal(changed);
                }

                return changed;
            },
            isReadOnly: false,
            cancellationToken);

    public override Task AddCardsAsync(IReadOnlyList<CardRegistration> cards, CancellationToken cancellationToken)
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

                    issued.Add(CardIssuer.Issue(card, pinVerificationKey, sequences, Options));
                }

                store.InsertAccounts(issued.Select(pair => pair.Account));
                store.InsertCards(issued.Select(pair => pair.Card));
                store.SaveSequences(sequences);
                return issued.Count;
            },
            isReadOnly: false,
            cancellationToken);
    }

    protected override Task StoreCardStatusAsync(string pan, CardStatus status, bool clearPinTries, CancellationToken cancellationToken) =>
        RunAdminAsync(
            (store, _) =>
            {
                var card = store.FindCardByPan(pan) ?? throw CardNotOnFile(pan);
                store.UpdateCard(card with { Status = status, PinTries = clearPinTries ? 0 : card.PinTries });
                return card.Id;
            },
            isReadOnly: false,
            cancellationToken);

    public override Task<CardBalance?> GetCardBalanceAsync(string pan, CancellationToken cancellationToken) =>
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

    public override Task<IReadOnlyList<JournalRecord>> ListJournalForTerminalAsync(string terminalId, int limit, CancellationToken cancellationToken) =>
        RunAdminAsync((store, _) => store.LatestJournalForTerminal(terminalId, limit), isReadOnly: true, cancellationToken);

    public override Task<IReadOnlyList<JournalRecord>> ListJournalForCardAsync(string pan, int limit, CancellationToken cancellationToken) =>
        RunAdminAsync(
            (store, _) => store.FindCardByPan(pan) is { } card ? store.LatestJournalForCard(card.Id, limit) : [],
            isReadOnly: true,
            cancellationToken);

    public override Task<InvariantReport> VerifyInvariantsAsync(CancellationToken cancellationToken) =>
        RunAdminAsync((store, now) => LedgerInvariants.Check(store, now, Options.RepeatRetention), isReadOnly: true, cancellationToken);

    /// <remarks>A work item of the writer like any admin operation: between group commits, in a transaction of its own.</remarks>
    protected internal override Task<int> PruneExpiredAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken) =>
        RunAdminAsync((store, _) => store.PruneExpired(cutoff.ToUnixTimeMilliseconds(), limit), isReadOnly: false, cancellationToken);

    protected override Task<IReadOnlyList<TerminalRecord>> ListTerminalsAsync(CancellationToken cancellationToken) =>
        RunAdminAsync<IReadOnlyList<TerminalRecord>>((store, _) => store.AllTerminals().ToList(), isReadOnly: true, cancellationToken);

    protected override Task<DemoDataRemoval> RemoveDemoDataFromStoreAsync(PinVerificationKey replacement, CancellationToken cancellationToken) =>
        RunAdminAsync(
            (store, _) =>
            {
                var terminals = store.AllTerminals().Where(DemoData.IsDemoTerminal).Select(terminal => terminal.TerminalId).ToList();
                foreach (var terminalId in terminals)
                {
                    store.DeleteTerminal(terminalId);
                }

                var removed = 0;
                var disabled = new List<string>();
                foreach (var pan in DemoData.CardNumbers())
                {
                    if (store.FindCardByPan(pan) is not { } card)
                    {
                        continue;
                    }

                    if (store.HasJournalForCard(card.Id))
                    {
                        store.UpdateCard(card with { Status = CardStatus.Restricted });
                        disabled.Add(card.MaskedPan);
                    }
                    else
                    {
                        store.DeleteCardWithAccounts(card);
                        removed++;
                    }
                }

                var ring = store.PinVerificationKeys();
                var demo = ring.All.FirstOrDefault(DemoData.IsDemoPinVerificationKey);
                var otherCards = 0;
                if (demo is not null)
                {
                    otherCards = store.CardCountUnderPinVerificationKeyIndex(demo.Index) - disabled.Count;
                    var taken = ReferenceEquals(demo, ring.Issuing)
                        ? ring with { Issuing = new PinVerificationKey(replacement.Key, demo.Index) }
                        : ring with { Others = [.. ring.Others.Where(key => key.Index != demo.Index)] };
                    store.SavePinVerificationKeys(taken);
                    _writer.Pins.Load(taken.All);
                }

                return new DemoDataRemoval(terminals, removed, disabled, demo is not null, otherCards);
            },
            isReadOnly: false,
            cancellationToken);

    protected override Task<PinVerificationKeyRing> StorePinVerificationKeyAsync(PinVerificationKey key, CancellationToken cancellationToken) =>
        RunAdminAsync(
            (store, _) =>
            {
                var ring = store.PinVerificationKeys().Import(key, store.CardCountUnderPinVerificationKeyIndex(key.Index));
                store.SavePinVerificationKeys(ring);

                // On the writer thread, between batches: the next batch verifies under the new ring. Were this
                // transaction to fail, the ledger stops (a storage failure), so the writer never verifies under keys
                // that were not stored.
                _writer.Pins.Load(ring.All);
                return ring;
            },
            isReadOnly: false,
            cancellationToken);

    protected override Task<bool> StoreCardVerificationKeyAsync(CardVerificationKey key, bool replaceOnlyDemoKey, CancellationToken cancellationToken) =>
        RunAdminAsync(
            (store, _) =>
            {
                if (replaceOnlyDemoKey && !(store.FindCardVerificationKey() is { } stored && DemoData.IsDemoCardVerificationKey(stored)))
                {
                    return false;
                }

                store.SaveCardVerificationKey(key);
                return true;
            },
            isReadOnly: false,
            cancellationToken);

    protected override Task<(PinVerificationKeyRing Ring, IReadOnlyDictionary<int, int> CardsByIndex)> ReadPinVerificationKeysAsync(CancellationToken cancellationToken) =>
        RunAdminAsync((store, _) => (store.PinVerificationKeys(), store.CardCountsByPinVerificationKeyIndex()), isReadOnly: true, cancellationToken);

    public override Task<ForwardedRequest?> FindForwardAsync(RequestKey key, CancellationToken cancellationToken) =>
        RunAdminAsync(
            (store, _) => store.FindIdempotency(key.ToString()) is { Forwarding: not null } record ? ForwardedRequest.Of(record) : null,
            isReadOnly: true,
            cancellationToken);

    public override Task<IReadOnlyList<OwedMessage>> ListOwedMessagesAsync(string route, int limit, CancellationToken cancellationToken) =>
        RunAdminAsync<IReadOnlyList<OwedMessage>>(
            (store, _) => [.. store.OwedMessages(route)
                .Where(record => record.Forwarding!.SafState == SafState.Queued)
                .Take(limit)
                .Select(record => OwedMessage.Of(record, record.Forwarding!.SealedPan is { } sealedPan ? store.UnsealPan(record.Key, sealedPan) : string.Empty))],
            isReadOnly: true,
            cancellationToken);

    public override Task<IReadOnlyList<OwedMessage>> ListSafAsync(string? route, int limit, CancellationToken cancellationToken) =>
        RunAdminAsync<IReadOnlyList<OwedMessage>>(
            (store, _) => [.. store.OwedMessages(route).Take(limit).Select(record => OwedMessage.Of(record, string.Empty))],
            isReadOnly: true,
            cancellationToken);

    public override Task<OwedMessage?> FindSafAsync(string retrievalReference, CancellationToken cancellationToken) =>
        RunAdminAsync(
            (store, _) => store.OwedMessages(route: null)
                .Where(record => record.Outcome.RetrievalReference == retrievalReference)
                .Select(record => OwedMessage.Of(record, string.Empty))
                .FirstOrDefault(),
            isReadOnly: true,
            cancellationToken);

    public override Task<IReadOnlyList<JournalRecord>> ListDisputedAdvicesAsync(int limit, CancellationToken cancellationToken) =>
        RunAdminAsync((store, _) => store.LatestUpstreamJournal(JournalDisposition.AdviceDisputed, limit), isReadOnly: true, cancellationToken);

    public override Task<SafRouteSummary> SummarizeSafAsync(string route, DateTimeOffset expiredBefore, CancellationToken cancellationToken) =>
        RunAdminAsync(
            (store, _) => SafRouteSummary.Of(store.OwedMessages(route).Select(record => OwedMessage.Of(record, string.Empty)), expiredBefore),
            isReadOnly: true,
            cancellationToken);

    public override Task<IReadOnlyList<ForwardedRequest>> ListPendingForwardsAsync(DateTimeOffset forwardedBefore, int limit, CancellationToken cancellationToken) =>
        RunAdminAsync<IReadOnlyList<ForwardedRequest>>(
            (store, _) => [.. store.PendingForwards(forwardedBefore.ToUnixTimeMilliseconds(), limit).Select(ForwardedRequest.Of)],
            isReadOnly: true,
            cancellationToken);

    public override Task<IReadOnlyList<AcquirerBookEntry>> ListAcquirerBookAsync(string? route, CancellationToken cancellationToken) =>
        RunAdminAsync((store, _) => AcquirerBook.Of(store.UpstreamJournal(route)), isReadOnly: true, cancellationToken);

    /// <summary>Runs <paramref name="operation"/> on the writer thread, between batches, alone in its own transaction.</summary>
    private async Task<T> RunAdminAsync<T>(Func<LedgerStore, DateTimeOffset, T> operation, bool isReadOnly, CancellationToken cancellationToken)
    {
        var work = new AdminWork<T>(operation, isReadOnly);
        await Queue.EnqueueAsync(work, cancellationToken);
        return await work.Completion.WaitAsync(cancellationToken);
    }
}
