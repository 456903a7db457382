using LiteDB;
using SocketAtm.Server.Ledger.KeyProtection;
using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Security;

namespace SocketAtm.Server.Ledger.LiteDb;

/// <summary>
/// Typed access to the ledger's LiteDB collections. Used only from the writer thread, inside its transactions.
/// </summary>
/// <remarks>
/// Lookups by value use parameterized expressions: LiteDB caches a parsed expression by its text, so a
/// <c>Query.EQ</c> with the value inlined would be parsed and compiled again for every new value (about 0.5 ms).
/// </remarks>
internal sealed class LedgerStore
{
    private const string SequencesId = "sequences";

    private readonly ILiteCollection<BsonDocument> _accounts;
    private readonly ILiteCollection<BsonDocument> _cards;
    private readonly ILiteCollection<BsonDocument> _dailyUsage;
    private readonly ILiteCollection<BsonDocument> _standInUsage;
    private readonly ILiteCollection<BsonDocument> _terminals;
    private readonly ILiteCollection<BsonDocument> _hostKeys;
    private readonly ILiteCollection<BsonDocument> _journal;
    private readonly ILiteCollection<BsonDocument> _idempotency;
    private readonly ILiteCollection<BsonDocument> _reversalMarkers;
    private readonly ILiteCollection<BsonDocument> _counters;
    private readonly KeyProtector _protector;
    private readonly RecordCache<string, CardRecord> _cardsByDigest;
    private readonly RecordCache<long, AccountRecord> _accountsById;
    private readonly RecordCache<string, DailyUsageRecord> _usageById;
    private readonly RecordCache<string, TerminalRecord> _terminalsById;
    private readonly int _maxCachedMarkerKeys;
    private HashSet<string>? _markerKeys;
    private bool _tooManyMarkersToCache;

    /// <param name="database">The open database; the store is used from the writer thread only.</param>
    /// <param name="protector">Seals keys and digests PANs.</param>
    /// <param name="cachedRecords">Cards, accounts and daily-usage records each kept in memory across batches (0: none).</param>
    /// <param name="maxCachedMarkerKeys">Reversal-marker keys kept in memory at most (<see cref="MaxCachedMarkerKeys"/>).</param>
    public LedgerStore(LiteDatabase database, KeyProtector protector, int cachedRecords = 0, int maxCachedMarkerKeys = MaxCachedMarkerKeys)
    {
        ArgumentNullException.ThrowIfNull(database);
        _protector = protector;
        _maxCachedMarkerKeys = maxCachedMarkerKeys;
        _cardsByDigest = new RecordCache<string, CardRecord>(cachedRecords);
        _accountsById = new RecordCache<long, AccountRecord>(cachedRecords);
        _usageById = new RecordCache<string, DailyUsageRecord>(cachedRecords);
        _terminalsById = new RecordCache<string, TerminalRecord>(cachedRecords);
        _accounts = database.GetCollection("accounts", BsonAutoId.Int64);
        _cards = database.GetCollection("cards", BsonAutoId.Int64);
        _dailyUsage = database.GetCollection("daily_usage");
        _standInUsage = database.GetCollection("standin_usage");
        _terminals = database.GetCollection("terminals");
        _hostKeys = database.GetCollection("host_keys");
        _journal = database.GetCollection("journal", BsonAutoId.Int64);
        _idempotency = database.GetCollection("idempotency_keys");
        _reversalMarkers = database.GetCollection("reversal_markers");
        _counters = database.GetCollection("counters");
    }

    public void EnsureIndexes()
    {
        _cards.EnsureIndex("PanDigest", "$.PanDigest", unique: true);
        _journal.EnsureIndex("TerminalId", "$.TerminalId");
        _journal.EnsureIndex("CardId", "$.CardId");
        _idempotency.EnsureIndex("At", "$.At");
        _idempotency.EnsureIndex(ForwardingBson.Held, "$." + ForwardingBson.Held);
        _idempotency.EnsureIndex(ForwardingBson.OwedRoute, "$." + ForwardingBson.OwedRoute);
        _journal.EnsureIndex("UpstreamRoute", "$.UpstreamRoute");
        _reversalMarkers.EnsureIndex("At", "$.At");
    }

    /// <summary>
    /// The most reversal-marker keys kept in memory (about 100 bytes each: 1 MB). A terminal can leave markers (a reversal
    /// of an original never sent), so the set is bounded: with more markers than this within the retention, every original
    /// asks the collection instead, until pruning brings them back under it.
    /// </summary>
    public const int MaxCachedMarkerKeys = 10_000;

    /// <summary>How many marker keys are in memory now (at most the bound).</summary>
    public int CachedMarkerKeys => _markerKeys?.Count ?? 0;

    /// <summary>True for a new database: nothing has been stored yet.</summary>
    public bool IsEmpty() => _counters.FindById(SequencesId) is null && _hostKeys.Count() == 0 && _cards.Count() == 0;

    /// <summary>Drops every cached record: after a rollback, what the cache holds may never have been committed.</summary>
    public void ForgetCachedRecords()
    {
        _cardsByDigest.Clear();
        _accountsById.Clear();
        _usageById.Clear();
        _terminalsById.Clear();
        ForgetMarkerKeys();
    }

    public CardRecord? FindCardByPan(string pan)
    {
        var digest = _protector.PanDigest(pan);
        if (_cardsByDigest.TryGet(digest, out var cached))
        {
            return cached with { Pan = pan };
        }

        if (_cards.FindOne("$.PanDigest = @0", digest) is not { } document)
        {
            return null;
        }

        var card = LedgerBson.ToCard(document, pan);
        _cardsByDigest.Put(digest, WithoutPan(card));
        return card;
    }

    public void InsertCards(IEnumerable<CardRecord> cards) => _cards.InsertBulk(cards.Select(card => LedgerBson.ToBson(card, _protector)));

    public void UpdateCard(CardRecord card)
    {
        var document = LedgerBson.ToBson(card, _protector);
        Require(_cards.Update(document), "card", card.Id);
        _cardsByDigest.Put(document["PanDigest"].AsString, WithoutPan(card));
    }

    public AccountRecord? FindAccount(long id) =>
        _accountsById.GetOrLoad(id, _accounts, static (accounts, key) => accounts.FindById(key) is { } document ? LedgerBson.ToAccount(document) : null);

    public IEnumerable<AccountRecord> AllAccounts() => _accounts.FindAll().Select(LedgerBson.ToAccount);

    public void InsertAccounts(IEnumerable<AccountRecord> accounts) => _accounts.InsertBulk(accounts.Select(LedgerBson.ToBson));

    public void UpdateAccount(AccountRecord account)
    {
        Require(_accounts.Update(LedgerBson.ToBson(account)), "account", account.Id);
        _accountsById.Put(account.Id, account);
    }

    public DailyUsageRecord? FindDailyUsage(long cardId, int day) =>
        _usageById.GetOrLoad(
            DailyUsageRecord.StorageId(cardId, day), _dailyUsage, static (usage, key) => usage.FindById(key) is { } document ? LedgerBson.ToDailyUsage(document) : null);

    public void UpsertDailyUsage(DailyUsageRecord usage)
    {
        _dailyUsage.Upsert(LedgerBson.ToBson(usage));
        _usageById.Put(usage.Id, usage);
    }

    /// <summary>Stand-in usage by <see cref="StandInUsageRecord.Id"/>: rare (only while a route is down), so not cached.</summary>
    public StandInUsageRecord? FindStandInUsage(string id) =>
        _standInUsage.FindById(id) is { } document
            ? new StandInUsageRecord(document["Route"].AsString, document["PanDigest"].AsString, document["Day"].AsInt32, document["Amount"].AsInt64, document["Count"].AsInt32)
            : null;

    public void UpsertStandInUsage(StandInUsageRecord usage) =>
        _standInUsage.Upsert(new BsonDocument
        {
            ["_id"] = usage.Id,
            ["Route"] = usage.Route,
            ["PanDigest"] = usage.PanDigest,
            ["Day"] = usage.Day,
            ["Amount"] = usage.Amount,
            ["Count"] = usage.Count,
        });

    /// <remarks>Cached: the writer checks a terminal's key version for every PIN it is given.</remarks>
    public TerminalRecord? FindTerminal(string terminalId) =>
        _terminalsById.GetOrLoad(
            terminalId, this, static (store, id) => store._terminals.FindById(id) is { } document ? LedgerBson.ToTerminal(document, store._protector) : null);

    public long? FindTerminalKeyVersion(string terminalId) => FindTerminal(terminalId)?.KeyVersion;

    public IEnumerable<TerminalRecord> AllTerminals() => _terminals.FindAll().Select(document => LedgerBson.ToTerminal(document, _protector));

    public void UpsertTerminal(TerminalRecord terminal)
    {
        _terminals.Upsert(LedgerBson.ToBson(terminal, _protector));
        _terminalsById.Put(terminal.TerminalId, terminal);
    }

    /// <summary>Deletes a terminal (admin only: removing demo data); true when it was there.</summary>
    public bool DeleteTerminal(string terminalId)
    {
        var deleted = _terminals.Delete(terminalId);
        ForgetCachedRecords();
        return deleted;
    }

    /// <summary>True when any journal row refers to the card: it must then stay on file to explain its account's balance.</summary>
    public bool HasJournalForCard(long cardId) => _journal.Exists(BsonExpression.Create("$.CardId = @0", cardId));

    public int CardCount() => _cards.Count();

    /// <summary>Deletes a card with its accounts and daily usage (admin only: a demo card no journal row refers to).</summary>
    public void DeleteCardWithAccounts(CardRecord card)
    {
        ArgumentNullException.ThrowIfNull(card);
        _cards.Delete(card.Id);
        foreach (var account in card.Accounts)
        {
            _accounts.Delete(account.AccountId);
        }

        _dailyUsage.DeleteMany(BsonExpression.Create("$.CardId = @0", card.Id));
        ForgetCachedRecords();
    }

    /// <summary>The PVK new cards are issued under, or null in a ledger not yet seeded.</summary>
    public PinVerificationKey? FindPinVerificationKey() =>
        _hostKeys.FindById(LedgerBson.IssuingPinVerificationKeyId) is { } document ? LedgerBson.ToPinVerificationKey(document, _protector) : null;

    public void SavePinVerificationKey(PinVerificationKey key) => _hostKeys.Upsert(LedgerBson.ToBson(key, _protector));

    /// <summary>Every PVK held (a ledger written before PVKIs could be imported holds the issuing one alone).</summary>
    public PinVerificationKeyRing PinVerificationKeys()
    {
        var issuing = FindPinVerificationKey() ?? throw new InvalidOperationException("The ledger holds no PIN verification key.");
        var others = _hostKeys.FindAll()
            .Where(document => document["_id"].AsString.StartsWith(LedgerBson.OtherPinVerificationKeyIdPrefix, StringComparison.Ordinal))
            .Select(document => LedgerBson.ToPinVerificationKey(document, _protector))
            .OrderBy(key => key.Index)
            .ToList();
        return new PinVerificationKeyRing(issuing, others);
    }

    /// <summary>Stores <paramref name="ring"/> in place of the PVKs held.</summary>
    public void SavePinVerificationKeys(PinVerificationKeyRing ring)
    {
        ArgumentNullException.ThrowIfNull(ring);
        _hostKeys.DeleteMany(BsonExpression.Create("$._id LIKE @0", LedgerBson.OtherPinVerificationKeyIdPrefix + "%"));
        SavePinVerificationKey(ring.Issuing);
        _hostKeys.InsertBulk(ring.Others.Select(key => LedgerBson.ToBson(key, _protector, issuing: false)));
    }

    /// <summary>How many cards name each PVKI (a scan: for the admin only).</summary>
    public IReadOnlyDictionary<int, int> CardCountsByPinVerificationKeyIndex() =>
        _cards.FindAll().GroupBy(document => document["Pvki"].AsInt32).ToDictionary(group => group.Key, group => group.Count());

    public int CardCountUnderPinVerificationKeyIndex(int pvki) => _cards.Count(BsonExpression.Create("$.Pvki = @0", pvki));

    public CardVerificationKey? FindCardVerificationKey() =>
        _hostKeys.FindById("CVK") is { } document ? LedgerBson.ToCardVerificationKey(document, _protector) : null;

    public void SaveCardVerificationKey(CardVerificationKey key) => _hostKeys.Upsert(LedgerBson.ToBson(key, _protector));

    public void InsertJournal(IEnumerable<JournalRecord> entries) => _journal.InsertBulk(entries.Select(LedgerBson.ToBson));

    public IEnumerable<JournalRecord> AllJournal() => _journal.FindAll().Select(LedgerBson.ToJournal);

    public long JournalCount() => _journal.LongCount();

    /// <summary>The latest <paramref name="limit"/> journal rows of a terminal, newest first.</summary>
    public IReadOnlyList<JournalRecord> LatestJournalForTerminal(string terminalId, int limit) =>
        Latest(_journal.Find(BsonExpression.Create("$.TerminalId = @0", terminalId)), limit);

    /// <summary>The latest <paramref name="limit"/> journal rows of a card, newest first.</summary>
    public IReadOnlyList<JournalRecord> LatestJournalForCard(long cardId, int limit) =>
        Latest(_journal.Find(BsonExpression.Create("$.CardId = @0", cardId)), limit);

    /// <summary>The latest <paramref name="limit"/> journal rows of acquired requests with <paramref name="disposition"/>, newest first.</summary>
    public IReadOnlyList<JournalRecord> LatestUpstreamJournal(JournalDisposition disposition, int limit) =>
        Latest(_journal.Find(BsonExpression.Create("$.UpstreamRoute != null AND $.Disposition = @0", disposition.ToString())), limit);

    public IdempotencyRecord? FindIdempotency(string key) =>
        _idempotency.FindById(key) is { } document ? LedgerBson.ToIdempotency(document) : null;

    public IEnumerable<IdempotencyRecord> AllIdempotency() => _idempotency.FindAll().Select(LedgerBson.ToIdempotency);

    public void InsertIdempotency(IEnumerable<IdempotencyRecord> records) => _idempotency.InsertBulk(records.Select(LedgerBson.ToBson));

    public void UpdateIdempotency(IdempotencyRecord record) => Require(_idempotency.Update(LedgerBson.ToBson(record)), "idempotency key", record.Key);

    /// <summary>
    /// Forwarded records that owe <paramref name="route"/> (any route when null) a reversal not acknowledged — queued or an
    /// exception — oldest first.
    /// </summary>
    public IEnumerable<IdempotencyRecord> OwedMessages(string? route) =>
        _idempotency.Find(route is null
                ? BsonExpression.Create($"$.{ForwardingBson.OwedRoute} != null")
                : BsonExpression.Create($"$.{ForwardingBson.OwedRoute} = @0", route))
            .Select(LedgerBson.ToIdempotency)
            .OrderBy(record => record.Forwarding!.OwedAtUnixMilliseconds)
            .ThenBy(record => record.Key, StringComparer.Ordinal);

    /// <summary>Forwarded records still pending, forwarded before <paramref name="beforeUnixMilliseconds"/>, oldest first.</summary>
    public IEnumerable<IdempotencyRecord> PendingForwards(long beforeUnixMilliseconds, int limit) =>
        _idempotency.Find(BsonExpression.Create($"$.{ForwardingBson.Held} = true AND $.At < @0", beforeUnixMilliseconds))
            .Select(LedgerBson.ToIdempotency)
            .Where(record => record.Forwarding?.State == ForwardState.Pending)
            .OrderBy(record => record.DecidedAtUnixMilliseconds)
            .ThenBy(record => record.Key, StringComparer.Ordinal)
            .Take(limit);

    /// <summary>The journal rows of forwarded requests (and their reversals) on <paramref name="route"/>, or on every route when null.</summary>
    public IEnumerable<JournalRecord> UpstreamJournal(string? route) =>
        (route is null
            ? _journal.Find(BsonExpression.Create("$.UpstreamRoute != null"))
            : _journal.Find(BsonExpression.Create("$.UpstreamRoute = @0", route)))
        .Select(LedgerBson.ToJournal);

    /// <summary>The PAN <see cref="SealPan"/> sealed for <paramref name="recordKey"/>.</summary>
    public string UnsealPan(string recordKey, string sealedPan) => _protector.UnprotectPan(sealedPan, recordKey);

    /// <summary>
    /// The marker left by a reversal that arrived before its original, or null. Markers are rare and every original
    /// asks for one, so the keys that have a marker are kept in memory (up to <see cref="MaxCachedMarkerKeys"/>) and only
    /// those reach the database.
    /// </summary>
    public ReversalMarker? FindReversalMarker(string originalKey) =>
        (MarkerKeys() is not { } keys || keys.Contains(originalKey)) && _reversalMarkers.FindById(originalKey) is { } document
            ? LedgerBson.ToMarker(document)
            : null;

    public void InsertReversalMarkers(IEnumerable<ReversalMarker> markers)
    {
        var inserted = markers.ToList();
        _reversalMarkers.InsertBulk(inserted.Select(LedgerBson.ToBson));
        if (MarkerKeys() is { } keys)
        {
            keys.UnionWith(inserted.Select(marker => marker.OriginalKey));
            if (keys.Count > _maxCachedMarkerKeys)
            {
                _markerKeys = null;
                _tooManyMarkersToCache = true;
            }
        }
    }

    /// <summary>
    /// Deletes at most <paramref name="limit"/> stored answers, then reversal markers, decided or left before
    /// <paramref name="cutoffUnixMilliseconds"/> (both are indexed by time); returns how many went. The journal keeps them all.
    /// </summary>
    public int PruneExpired(long cutoffUnixMilliseconds, int limit)
    {
        // A forwarded record still pending or owing a reversal upstream is held (ForwardingRecord.IsHeld) until it is not.
        var answers = _idempotency.Find(BsonExpression.Create($"$.At < @0 AND $.{ForwardingBson.Held} = false", cutoffUnixMilliseconds), 0, limit)
            .Select(document => document["_id"]).ToList();
        foreach (var key in answers)
        {
            _idempotency.Delete(key);
        }

        var markers = answers.Count < limit
            ? _reversalMarkers.Find(BsonExpression.Create("$.At < @0", cutoffUnixMilliseconds), 0, limit - answers.Count).Select(document => document["_id"]).ToList()
            : [];
        foreach (var key in markers)
        {
            _reversalMarkers.Delete(key);
            _markerKeys?.Remove(key.AsString);
        }

        if (markers.Count > 0 && _tooManyMarkersToCache)
        {
            ForgetMarkerKeys(); // perhaps few enough now: counted again at the next lookup
        }

        return answers.Count + markers.Count;
    }

    public void UpdateReversalMarker(ReversalMarker marker) =>
        Require(_reversalMarkers.Update(LedgerBson.ToBson(marker)), "reversal marker", marker.OriginalKey);

    /// <summary>The PAN as cards are found by, and as idempotency records and markers hold it.</summary>
    public string PanDigest(string pan) => _protector.PanDigest(pan);

    /// <summary>The PAN sealed for a forwarded record (<see cref="KeyProtector.ProtectPan"/>).</summary>
    public string SealPan(string recordKey, string pan) => _protector.ProtectPan(pan, recordKey);

    /// <summary>The keys that have a marker, or null when there are too many to keep (then the collection is asked).</summary>
    private HashSet<string>? MarkerKeys()
    {
        if (_markerKeys is null && !_tooManyMarkersToCache)
        {
            if (_reversalMarkers.Count() > _maxCachedMarkerKeys)
            {
                _tooManyMarkersToCache = true;
            }
            else
            {
                _markerKeys = _reversalMarkers.FindAll().Select(document => document["_id"].AsString).ToHashSet(StringComparer.Ordinal);
            }
        }

        return _markerKeys;
    }

    private void ForgetMarkerKeys()
    {
        _markerKeys = null;
        _tooManyMarkersToCache = false;
    }

    public LedgerSequences LoadSequences() =>
        _counters.FindById(SequencesId) is { } document ? LedgerBson.ToSequences(document) : new LedgerSequences();

    public void SaveSequences(LedgerSequences sequences) => _counters.Upsert(LedgerBson.ToBson(sequences));

    /// <summary>The cache keeps cards by PAN digest and without the PAN, so that no full card number lives on in memory.</summary>
    private static CardRecord WithoutPan(CardRecord card) => card with { Pan = string.Empty };

    private static List<JournalRecord> Latest(IEnumerable<BsonDocument> documents, int limit) =>
        documents.Select(LedgerBson.ToJournal).OrderByDescending(entry => entry.Id).Take(limit).ToList();

    private static void Require(bool updated, string what, object id)
    {
        if (!updated)
        {
            throw new InvalidOperationException($"The ledger tried to update {what} {id}, which is not stored.");
        }
    }
}
