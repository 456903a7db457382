using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Ledger.Writer;

namespace SocketAtm.Server.Ledger.LiteDb;

/// <summary>
/// The state one group-commit batch works on. Reads go to the store once and are then served from here, so a
/// later request in the batch sees what an earlier one changed (two withdrawals on one account), and each changed
/// record is written once, at <see cref="SaveChanges"/>, inside the batch's transaction.
/// </summary>
internal sealed class LiteDbUnitOfWork(LedgerStore store) : ILedgerUnitOfWork
{
    private readonly Dictionary<string, CardRecord?> _cardsByPan = new(StringComparer.Ordinal);
    private readonly Dictionary<long, CardRecord> _changedCards = [];
    private readonly Dictionary<long, AccountRecord?> _accounts = [];
    private readonly HashSet<long> _changedAccounts = [];
    private readonly Dictionary<string, DailyUsageRecord?> _usage = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StandInUsageRecord?> _standInUsage = new(StringComparer.Ordinal);
    private readonly HashSet<string> _changedStandInUsage = new(StringComparer.Ordinal);
    private readonly HashSet<string> _changedUsage = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IdempotencyRecord?> _idempotency = new(StringComparer.Ordinal);
    private readonly HashSet<string> _newKeys = new(StringComparer.Ordinal);
    private readonly HashSet<string> _changedKeys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ReversalMarker?> _markers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _newMarkers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _changedMarkers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _panDigests = new(StringComparer.Ordinal);
    private readonly List<JournalRecord> _journal = [];
    private LedgerSequences? _sequences;

    public LedgerSequences Sequences => _sequences ??= store.LoadSequences();

    public CardRecord? FindCardByPan(string pan)
    {
        if (!_cardsByPan.TryGetValue(pan, out var card))
        {
            card = store.FindCardByPan(pan);
            _cardsByPan.Add(pan, card);
        }

        return card;
    }

    public void PutCard(CardRecord card)
    {
        _cardsByPan[card.Pan] = card;
        _changedCards[card.Id] = card;
    }

    public AccountRecord? FindAccount(long id)
    {
        if (!_accounts.TryGetValue(id, out var account))
        {
            account = store.FindAccount(id);
            _accounts.Add(id, account);
        }

        return account;
    }

    public void PutAccount(AccountRecord account)
    {
        _accounts[account.Id] = account;
        _changedAccounts.Add(account.Id);
    }

    public DailyUsageRecord? FindDailyUsage(long cardId, int day)
    {
        var id = DailyUsageRecord.StorageId(cardId, day);
        if (!_usage.TryGetValue(id, out var usage))
        {
            usage = store.FindDailyUsage(cardId, day);
            _usage.Add(id, usage);
        }

        return usage;
    }

    public void PutDailyUsage(DailyUsageRecord usage)
    {
        _usage[usage.Id] = usage;
        _changedUsage.Add(usage.Id);
    }

    public StandInUsageRecord? FindStandInUsage(string route, string panDigest, int day)
    {
        var id = StandInUsageRecord.StorageId(route, panDigest, day);
        if (!_standInUsage.TryGetValue(id, out var usage))
        {
            usage = store.FindStandInUsage(id);
            _standInUsage.Add(id, usage);
        }

        return usage;
    }

    public void PutStandInUsage(StandInUsageRecord usage)
    {
        _standInUsage[usage.Id] = usage;
        _changedStandInUsage.Add(usage.Id);
    }

    public IdempotencyRecord? FindIdempotency(string key)
    {
        if (!_idempotency.TryGetValue(key, out var record))
        {
            record = store.FindIdempotency(key);
            _idempotency.Add(key, record);
        }

        return record;
    }

    public void AddIdempotency(IdempotencyRecord record)
    {
        _idempotency[record.Key] = record;
        _newKeys.Add(record.Key);
    }

    public void UpdateIdempotency(IdempotencyRecord record)
    {
        _idempotency[record.Key] = record;
        if (!_newKeys.Contains(record.Key))
        {
            _changedKeys.Add(record.Key);
        }
    }

    public ReversalMarker? FindReversalMarker(string originalKey)
    {
        if (!_markers.TryGetValue(originalKey, out var marker))
        {
            marker = store.FindReversalMarker(originalKey);
            _markers.Add(originalKey, marker);
        }

        return marker;
    }

    public void AddReversalMarker(ReversalMarker marker)
    {
        _markers[marker.OriginalKey] = marker;
        _newMarkers.Add(marker.OriginalKey);
    }

    public void UpdateReversalMarker(ReversalMarker marker)
    {
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
            digest = store.PanDigest(pan);
            _panDigests.Add(pan, digest);
        }

        return digest;
    }

    public string SealPan(string recordKey, string pan) => store.SealPan(recordKey, pan);

    public void AddJournal(JournalRecord entry) => _journal.Add(entry);

    /// <remarks>Key updates run on this writer between batches, so the store holds the current keys.</remarks>
    public long? FindTerminalKeyVersion(string terminalId) => store.FindTerminalKeyVersion(terminalId);

    public TerminalRecord? FindTerminal(string terminalId) => store.FindTerminal(terminalId);

    /// <summary>Writes every change of the batch; the caller commits the transaction around it.</summary>
    public void SaveChanges()
    {
        foreach (var card in _changedCards.Values)
        {
            store.UpdateCard(card);
        }

        foreach (var id in _changedAccounts)
        {
            store.UpdateAccount(_accounts[id]!);
        }

        foreach (var id in _changedUsage)
        {
            store.UpsertDailyUsage(_usage[id]!);
        }

        foreach (var id in _changedStandInUsage)
        {
            store.UpsertStandInUsage(_standInUsage[id]!);
        }

        if (_newKeys.Count > 0)
        {
            store.InsertIdempotency(_newKeys.Select(key => _idempotency[key]!));
        }

        foreach (var key in _changedKeys)
        {
            store.UpdateIdempotency(_idempotency[key]!);
        }

        if (_newMarkers.Count > 0)
        {
            store.InsertReversalMarkers(_newMarkers.Select(key => _markers[key]!));
        }

        foreach (var key in _changedMarkers)
        {
            store.UpdateReversalMarker(_markers[key]!);
        }

        if (_journal.Count > 0)
        {
            store.InsertJournal(_journal);
        }

        if (_sequences is not null)
        {
            store.SaveSequences(_sequences);
        }
    }
}
