using System.Diagnostics;
using LiteDB;
using LiteDB.Engine;
using SocketAtm.Server.Ledger.LiteDb;

namespace SocketAtm.Load.Ceilings;

/// <summary>
/// The storage ceiling: how many withdrawals per second LiteDB itself can make durable in batches of a given size, with
/// the ledger's durability — its own data and log streams whose flush is an fsync (<see cref="DurableFileStreamFactory"/>),
/// automatic checkpoints off, one sync per commit, a checkpoint every 1000 batches. Per withdrawal it does what any
/// idempotent ledger must write: look the key up, update the account, update the day's usage, insert the key's stored
/// outcome and a journal row — with plain documents of about the ledger's size and none of its logic. Per withdrawal it
/// also finds a card by its indexed PAN digest, as any ledger must. The cards and accounts are as many as the run's
/// fleet, because how many distinct pages a batch dirties (and so how much log each commit writes and each checkpoint
/// copies) depends on how widely the withdrawals spread.
/// </summary>
internal static class StorageCeiling
{
    private const int CheckpointEveryBatches = 1000;
    private const long CheckpointLogSizeBytes = 32L * 1024 * 1024;

    public static double MeasureWithdrawalsPerSecond(string directory, int batchSize, int cardCount, TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(cardCount, 1);
        Directory.CreateDirectory(directory);
        using var data = DurableFileStreamFactory.Instance.Open(Path.Combine(directory, "ceiling.db"));
        using var log = DurableFileStreamFactory.Instance.Open(Path.Combine(directory, "ceiling-log.db"));
        using var database = new LiteDatabase(new LiteEngine(new EngineSettings { DataStream = data, LogStream = log }));
        database.CheckpointSize = 0;
        var accounts = database.GetCollection("accounts", BsonAutoId.Int64);
        var usage = database.GetCollection("daily_usage");
        var keys = database.GetCollection("idempotency_keys");
        var journal = database.GetCollection("journal", BsonAutoId.Int64);
        var cards = database.GetCollection("cards", BsonAutoId.Int64);
        cards.EnsureIndex("PanDigest", "$.PanDigest", unique: true);
        journal.EnsureIndex("TerminalId", "$.TerminalId");
        journal.EnsureIndex("CardId", "$.CardId");
        database.BeginTrans();
        cards.InsertBulk(Enumerable.Range(1, cardCount).Select(id => new BsonDocument
        {
            ["_id"] = (long)id,
            ["PanDigest"] = Digest(id),
            ["MaskedPan"] = "520000******0007",
            ["Expiry"] = "3012",
            ["Pvv"] = "1234",
            ["Status"] = 0,
            ["PinTries"] = 0,
            ["DailyAmountLimit"] = 100_000_000L,
            ["DailyCountLimit"] = int.MaxValue,
            ["Accounts"] = new BsonArray { new BsonDocument { ["AccountId"] = (long)id, ["Type"] = 20 } },
        }));
        accounts.InsertBulk(Enumerable.Range(1, cardCount).Select(id => new BsonDocument
        {
            ["_id"] = (long)id,
            ["Type"] = 20,
            ["Currency"] = 840,
            ["OpeningBalance"] = 100_000_000L,
            ["Balance"] = 100_000_000L,
        }));
        database.Commit();
        log.Flush();
        database.Checkpoint();

        var random = new Random(1);
        var outcomes = new List<BsonDocument>(batchSize);
        var rows = new List<BsonDocument>(batchSize);
        var changedAccounts = new Dictionary<long, BsonDocument>();
        var changedUsage = new Dictionary<long, BsonDocument>();
        long withdrawals = 0;
        long sequence = 0;
        var batches = 0;
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < duration)
        {
            database.BeginTrans();
            outcomes.Clear();
            rows.Clear();
            changedAccounts.Clear();
            changedUsage.Clear();
            for (var i = 0; i < batchSize; i++)
            {
                sequence++;
                var key = $"00000123456|ATM{sequence % 10000:D5}|{sequence % 1_000_000:D6}|{sequence:D10}";
                if (keys.FindById(key) is not null)
                {
                    throw new InvalidOperationException("A fresh key was found: the ceiling's keys are not unique.");
                }

                // Like the ledger's unit of work: each account and usage record read once per batch and written once at its end.
                var cardId = random.Next(1, cardCount + 1);
                if (cards.FindOne("$.PanDigest = @0", Digest(cardId)) is null)
                {
                    throw new InvalidOperationException("A card of the ceiling's fleet is missing.");
                }

                var accountId = (long)cardId;
                if (!changedAccounts.TryGetValue(accountId, out var account))
                {
                    account = accounts.FindById(accountId);
                    usage.FindById($"{accountId}|20261125");
                    changedAccounts[accountId] = account;
                }

                account["Balance"] = account["Balance"].AsInt64 - 2_000;
                changedUsage[accountId] = new BsonDocument
                {
                    ["_id"] = $"{accountId}|20261125",
                    ["CardId"] = accountId,
                    ["Day"] = 20261125,
                    ["Amount"] = 2_000L * sequence,
                    ["Count"] = (int)(sequence % 1000),
                };
                outcomes.Add(new BsonDocument
                {
                    ["_id"] = key,
                    ["Kind"] = 1,
                    ["Mti"] = 200,
                    ["JournalId"] = sequence,
                    ["ResponseCode"] = "00",
                    ["AuthorizationId"] = "123456",
                    ["RetrievalReference"] = "000000123456",
                    ["LedgerBalance"] = account["Balance"],
                    ["MaskedPan"] = "520000******0007",
                    ["CardId"] = accountId,
                    ["AccountId"] = accountId,
                    ["AppliedAmount"] = 2_000L,
                    ["UsageDay"] = 20261125,
                });
                rows.Add(new BsonDocument
                {
                    ["At"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                    ["Key"] = key,
                    ["Mti"] = 200,
                    ["Kind"] = 1,
                    ["Disposition"] = 0,
                    ["TerminalId"] = $"ATM{sequence % 10000:D5}",
                    ["MaskedPan"] = "520000******0007",
                    ["CardId"] = accountId,
                    ["AccountId"] = accountId,
                    ["Amount"] = 2_000L,
                    ["Delta"] = -2_000L,
                    ["ResponseCode"] = "00",
                    ["AuthorizationId"] = "123456",
                    ["RetrievalReference"] = "000000123456",
                });
            }

            foreach (var changed in changedAccounts.Values)
            {
                accounts.Update(changed);
            }

            foreach (var changed in changedUsage.Values)
            {
                usage.Upsert(changed);
            }

            keys.InsertBulk(outcomes);
            journal.InsertBulk(rows);
            database.Commit();
            log.Flush();
            withdrawals += batchSize;
            if (++batches % CheckpointEveryBatches == 0 || log.Length >= CheckpointLogSizeBytes)
            {
                database.Checkpoint();
                log.Flush();
            }
        }

        return withdrawals / stopwatch.Elapsed.TotalSeconds;
    }

    /// <summary>Stands in for the ledger's HMAC of the PAN: 44 characters, unique per card.</summary>
    private static string Digest(int card) => Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(card)));
}
