using LiteDB;
using Microsoft.Extensions.Logging;

namespace SocketAtm.Server.Ledger.LiteDb;

/// <summary>
/// The version of the LiteDB ledger's stored shape, kept in the counters collection, and the steps that bring a ledger
/// written by an older host to it, run by the writer at open before the invariants are checked. Each step recomputes
/// what it writes from what is stored, so a step cut off by a crash is simply run again at the next open.
/// </summary>
internal static class LedgerFormat
{
    /// <summary>
    /// 2: idempotency records hold the request's PAN digest and DE 4, so reversals can be matched to their originals.
    /// 3: idempotency records hold when they were decided (indexed, as markers' times are), so they can be pruned.
    /// 4: cards hold their service code, which a request's track 2 must carry.
    /// 5: the host acquires for other issuers: idempotency records say whether pruning must keep them (<c>Held</c>: a
    /// forwarded record still pending or owing a reversal upstream; pruning deletes only records with <c>Held</c> false),
    /// forwarded records keep their upstream side (<c>Forward</c>) and journal rows their book entry (<c>Upstream*</c>).
    /// </summary>
    public const int Current = 5;

    private const string DocumentId = "format";
    private const int DocumentsPerTransaction = 5_000;

    /// <summary>The stored version; 1 for a ledger of a host from before versions were recorded.</summary>
    public static int VersionOf(LiteDatabase database) =>
        Counters(database).FindById(DocumentId) is { } document ? document["Version"].AsInt32 : 1;

    /// <summary>Records that the ledger is in the current shape (a new ledger, in its seeding transaction).</summary>
    public static void MarkCurrent(LiteDatabase database) =>
        Counters(database).Upsert(new BsonDocument { ["_id"] = DocumentId, ["Version"] = Current });

    /// <summary>Brings a ledger of an older version to <see cref="Current"/>, in transactions of its own.</summary>
    /// <param name="now">The ledger's time: a record without a journal row to take its time from is kept a retention from now.</param>
    public static void Migrate(LiteDatabase database, DateTimeOffset now, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(database);
        var version = VersionOf(database);
        if (version >= Current)
        {
            return;
        }

        var migrated = 0;
        if (version < 2)
        {
            migrated += RecordPanDigestsAndAmounts(database);
        }

        if (version < 3)
        {
            migrated += RecordDecisionTimes(database, now);
        }

        if (version < 4)
        {
            migrated += RecordServiceCodes(database);
        }

        if (version < 5)
        {
            migrated += RecordNotHeld(database);
        }

        database.BeginTrans();
        MarkCurrent(database);
        database.Commit();
        LiteDbLog.Migrated(logger, version, Current, migrated);
    }

    /// <summary>
    /// Version 2: each idempotency record gets the DE 4 of its request (from its journal row, which the journal never
    /// loses) and its PAN digest (from its card; a record whose card was not on file keeps none, and is matched by its
    /// masked PAN). The PAN itself was never stored, so nothing else can give it.
    /// </summary>
    private static int RecordPanDigestsAndAmounts(LiteDatabase database)
    {
        var idempotency = database.GetCollection("idempotency_keys");
        var journal = database.GetCollection("journal");
        var cards = database.GetCollection("cards");
        var keys = idempotency.FindAll().Where(document => document["Amount"].IsNull).Select(document => document["_id"]).ToList();
        foreach (var chunk in keys.Chunk(DocumentsPerTransaction))
        {
            database.BeginTrans();
            foreach (var key in chunk)
            {
                var record = idempotency.FindById(key);
                var decided = journal.FindById(record["JournalId"]);
                record["Amount"] = decided is null ? record["AppliedAmount"] : decided["Amount"];
                if (!record["CardId"].IsNull && cards.FindById(record["CardId"]) is { } card)
                {
                    record["PanDigest"] = card["PanDigest"];
                }

                idempotency.Update(record);
            }

            database.Commit();
        }

        return keys.Count;
    }

    /// <summary>Version 3: each idempotency record gets the time of its journal row, so that it is pruned after the retention.</summary>
    private static int RecordDecisionTimes(LiteDatabase database, DateTimeOffset now)
    {
        var idempotency = database.GetCollection("idempotency_keys");
        var journal = database.GetCollection("journal");
        var keys = idempotency.FindAll().Where(document => document["At"].IsNull).Select(document => document["_id"]).ToList();
        foreach (var chunk in keys.Chunk(DocumentsPerTransaction))
        {
            database.BeginTrans();
            foreach (var key in chunk)
            {
                var record = idempotency.FindById(key);
                // Without its journal row (which the invariant check then reports) it is kept a full retention from now.
                record["At"] = journal.FindById(record["JournalId"]) is { } decided ? decided["At"] : new BsonValue(now.ToUnixTimeMilliseconds());
                idempotency.Update(record);
            }

            database.Commit();
        }

        return keys.Count;
    }

    /// <summary>
    /// Version 4: each card gets the service code 101 (<see cref="Model.CardRecord.DefaultServiceCode"/>), that of every card
    /// SocketAtm issued before it kept one: a track 2 with another is then refused 59 until the card is issued again.
    /// </summary>
    private static int RecordServiceCodes(LiteDatabase database)
    {
        var cards = database.GetCollection("cards");
        var ids = cards.FindAll().Where(document => document["ServiceCode"].IsNull).Select(document => document["_id"]).ToList();
        foreach (var chunk in ids.Chunk(DocumentsPerTransaction))
        {
            database.BeginTrans();
            foreach (var id in chunk)
            {
                var card = cards.FindById(id);
                card["ServiceCode"] = Model.CardRecord.DefaultServiceCode;
                cards.Update(card);
            }

            database.Commit();
        }

        return ids.Count;
    }

    /// <summary>
    /// Version 5: each idempotency record gets <c>Held</c> = false. No record of an older host was forwarded (it could not
    /// acquire), so none must outlive the retention; without the field, pruning (which deletes only records that say they
    /// are not held, so that it can never delete a pending forward or an owed reversal) would keep them for ever.
    /// </summary>
    private static int RecordNotHeld(LiteDatabase database)
    {
        var idempotency = database.GetCollection("idempotency_keys");
        var keys = idempotency.FindAll().Where(document => document[ForwardingBson.Held].IsNull).Select(document => document["_id"]).ToList();
        foreach (var chunk in keys.Chunk(DocumentsPerTransaction))
        {
            database.BeginTrans();
            foreach (var key in chunk)
            {
                var record = idempotency.FindById(key);
                record[ForwardingBson.Held] = false;
                idempotency.Update(record);
            }

            database.Commit();
        }

        return keys.Count;
    }

    private static ILiteCollection<BsonDocument> Counters(LiteDatabase database) => database.GetCollection("counters");
}
