using SocketAtm.Server.Ledger.KeyProtection;
using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Ledger.Writer;

namespace SocketAtm.Server.Ledger.PostgreSql;

/// <summary>
/// One batch's rows, read and locked in one round trip before any request is decided, then served from memory: a
/// later request in the batch sees what an earlier one changed, and every changed row is written once, with its final
/// value, when the batch commits. A lookup of a row the batch did not load answers "not found", which is right because
/// the batch loaded every row its requests can reach (the cards by PAN digest, their accounts and today's usage, and
/// the stored keys of the requests and of the originals their reversals name).
/// </summary>
internal sealed class PostgreSqlUnitOfWork(LedgerSequences sequences, KeyProtector protector) : ILedgerUnitOfWork
{
    private readonly Dictionary<string, TerminalRow> _terminals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CardRecord> _cardsByPan = new(StringComparer.Ordinal);
    private readonly Dictionary<long, CardRecord> _changedCards = [];
    private readonly Dictionary<long, AccountRecord> _accounts = [];
    private readonly Dictionary<long, long> _loadedBalances = [];
    private readonly HashSet<long> _changedAccounts = [];
    private readonly Dictionary<string, DailyUsageRecord> _usage = new(StringComparer.Ordinal);
    private readonly HashSet<string> _changedUsage = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StandInUsageRecord> _standInUsage = new(StringComparer.Ordinal);
    private readonly HashSet<string> _changedStandInUsage = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IdempotencyRecord> _decided = new(StringComparer.Ordinal);
    private readonly HashSet<string> _changedKeys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ReversalMarker> _markers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _newMarkers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _changedMarkers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _panDigests = new(StringComparer.Ordinal);
    private readonly List<JournalRecord> _journal = [];

    public LedgerSequences Sequences { get; } = sequences;

    /// <summary>Keys this batch inserted as claimed: each is decided, turned into a marker, or deleted at commit.</summary>
    public HashSet<string> ClaimedKeys { get; } = new(StringComparer.Ordinal);

    public IEnumerable<CardRecord> ChangedCards => _changedCards.Values;

    public IEnumerable<(AccountRecord Account, long LoadedBalance)> ChangedAccounts =>
        _changedAccounts.Select(id => (_accounts[id], _loadedBalances[id]));

    public IEnumerable<DailyUsageRecord> ChangedUsage => _changedUsage.Select(id => _usage[id]);

    public IEnumerable<StandInUsageRecord> ChangedStandInUsage => _changedStandInUsage.Select(id => _standInUsage[id]);

    public IEnumerable<IdempotencyRecord> ChangedDecisions => _changedKeys.Select(key => _decided[key]);

    public IEnumerable<ReversalMarker> NewMarkers => _newMarkers.Where(key => !_changedKeys.Contains(key)).Select(key => _markers[key]);

    /// <summary>Markers stored before this batch that it changed (and did not turn into a decision).</summary>
    public IEnumerable<ReversalMarker> ChangedMarkers => _changedMarkers.Where(key => !_changedKeys.Contains(key)).Select(key => _markers[key]);

    /// <summary>Claimed keys that end up neither decided nor a marker (a 94 or 96 answer stores nothing).</summary>
    public IEnumerable<string> UnusedClaims => ClaimedKeys.Where(key => !_changedKeys.Contains(key) && !_newMarkers.Contains(key));

    public IReadOnlyList<JournalRecord> Journal => _journal;

    public void LoadTerminal(TerminalRow terminal) => _terminals[terminal.TerminalId] = terminal;

    public void LoadCard(CardRecord card) => _cardsByPan[card.Pan] = card;

    public void LoadAccount(AccountRecord account)
    {
        _accounts[account.Id] = account;
        _loadedBalances[account.Id] = account.Balance;
    }

    public void LoadDailyUsage(DailyUsageRecord usage) => _usage[usage.Id] = usage;

    public void LoadStandInUsage(StandInUsageRecord usage) => _standInUsage[usage.Id] = usage;

    public void LoadDecided(IdempotencyRecord record) => _decided[record.Key] = record;

    public void LoadMarker(ReversalMarker marker) => _markers[marker.OriginalKey] = marker;

    public CardRecord? FindCardByPan(string pan) => _cardsByPan.GetValueOrDefault(pan);

    public void PutCard(CardRecord card)
    {
        _cardsByPan[card.Pan] = card;
        _changedCards[card.Id] = card;
    }

    public AccountRecord? FindAccount(long id) => _accounts.GetValueOrDefault(id);

    public void PutAccount(AccountRecord account)
    {
        if (!_loadedBalances.ContainsKey(account.Id))
        {
            throw new InvalidOperationException($"The batch changed account {account.Id}, which it had not locked.");
        }

        _accounts[account.Id] = account;
        _changedAccounts.Add(account.Id);
    }

    /// <remarks>Loaded, under an advisory lock per card, for the batch's stand-in decisions (<see cref="BatchRoundTrips"/>).</remarks>
    public StandInUsageRecord? FindStandInUsage(string route, string panDigest, int day) =>
        _standInUsage.GetValueOrDefault(StandInUsageRecord.StorageId(route, panDigest, day));

    public void PutStandInUsage(StandInUsageRecord usage)
    {
        _standInUsage[usage.Id] = usage;
        _changedStandInUsage.Add(usage.Id);
    }

    public DailyUsageRecord? FindDailyUsage(long cardId, int day) => _usage.GetValueOrDefault(DailyUsageRecord.StorageId(cardId, day));

    public void PutDailyUsage(DailyUsageRecord usage)
    {
        _usage[usage.Id] = usage;
        _changedUsage.Add(usage.Id);
    }

    public IdempotencyRecord? FindIdempotency(string key) => _decided.GetValueOrDefault(key);

    public void AddIdempotency(IdempotencyRecord record) => UpdateIdempotency(record);

    public void UpdateIdempotency(IdempotencyRecord record)
    {
        _decided[record.Key] = record;
        _changedKeys.Add(record.Key);
    }

    public ReversalMarker? FindReversalMarker(string originalKey) => _markers.GetValueOrDefault(originalKey);

    public void AddReversalMarker(ReversalMarker marker)
    {
        if (!ClaimedKeys.Contains(marker.OriginalKey))
        {
            // Only a claimed key can become a marker: the claim is what keeps a late original on another host out.
            throw new InvalidOperationException("A reversal marker was left for a key the batch had not claimed.");
        }

        _markers[marker.OriginalKey] = marker;
        _newMarkers.Add(marker.OriginalKey);
    }

    public void UpdateReversalMarker(ReversalMarker marker)
    {
        if (!_markers.ContainsKey(marker.OriginalKey))
        {
            throw new InvalidOperationException("A reversal marker was changed that the batch had not loaded or left.");
        }

        _markers[marker.OriginalKey] = marker;
        if (!_newMarkers.Contains(marker.OriginalKey))
        {
            _changedMarkers.Add(marker.OriginalKey);
        }
    }

    public string PanDigest(string pan)
    {
        if (!_panDigests.TryGetValue(pan, out var digest))
        {
            digest = protector.PanDigest(pan);
            _panDigests.Add(pan, digest);
        }

        return digest;
    }

    public string SealPan(string recordKey, string pan) => protector.ProtectPan(pan, recordKey);

    public void AddJournal(JournalRecord entry) => _journal.Add(entry);

    /// <remarks>The terminals of the batch's PIN requests, as read in its transaction.</remarks>
    public long? FindTerminalKeyVersion(string terminalId) => _terminals.GetValueOrDefault(terminalId)?.KeyVersion;

    public TerminalRecord? FindTerminal(string terminalId) => _terminals.GetValueOrDefault(terminalId)?.Decrypt(protector);
}
