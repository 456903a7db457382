using System.Security.Cryptography;
using LiteDB;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.KeyProtection;
using SocketAtm.Server.Ledger.LiteDb;
using SocketAtm.Server.Ledger.Model;

namespace SocketAtm.Server.Tests.Ledger.LiteDb;

/// <summary>
/// The writer's record cache must never answer with something the database does not hold: what the store writes it
/// caches, and after a rollback it forgets.
/// </summary>
public sealed class LedgerStoreCacheTests : IDisposable
{
    private readonly LiteDatabase _database = new(new MemoryStream());
    private readonly KeyProtector _protector = new(RandomNumberGenerator.GetBytes(KeyProtector.KeyEncryptionKeyLength));

    [Fact]
    public void A_record_written_is_what_the_next_lookup_returns()
    {
        var store = StoreWithOneCard(out var card, out var account);
        store.FindCardByPan(card.Pan);
        store.FindAccount(account.Id);

        store.UpdateCard(card with { PinTries = 2 });
        store.UpdateAccount(account with { Balance = 1_234 });
        store.UpsertDailyUsage(new DailyUsageRecord { CardId = card.Id, Day = 20261125, Amount = 500, Count = 1 });

        Assert.Equal(2, store.FindCardByPan(card.Pan)!.PinTries);
        Assert.Equal(card.Pan, store.FindCardByPan(card.Pan)!.Pan);
        Assert.Equal(1_234, store.FindAccount(account.Id)!.Balance);
        Assert.Equal(500, store.FindDailyUsage(card.Id, 20261125)!.Amount);
        var fresh = new LedgerStore(_database, _protector, cachedRecords: 0);
        Assert.Equal(1_234, fresh.FindAccount(account.Id)!.Balance);
    }

    [Fact]
    public void After_a_rollback_the_store_answers_from_the_database_again()
    {
        var store = StoreWithOneCard(out var card, out var account);
        store.FindAccount(account.Id);

        _database.BeginTrans();
        store.UpdateAccount(account with { Balance = 1 });
        store.UpdateCard(card with { Status = CardStatus.Lost });
        _database.Rollback();
        var beforeForgetting = store.FindAccount(account.Id)!.Balance;
        store.ForgetCachedRecords();

        Assert.Equal(1, beforeForgetting); // why the writer must forget: the cache still holds the rolled-back write
        Assert.Equal(account.Balance, store.FindAccount(account.Id)!.Balance);
        Assert.Equal(CardStatus.Active, store.FindCardByPan(card.Pan)!.Status);
    }

    [Fact]
    public void A_full_cache_starts_over_and_still_answers_correctly()
    {
        var cache = new RecordCache<long, string>(capacity: 2);
        cache.Put(1, "one");
        cache.Put(2, "two");
        cache.Put(2, "two again");

        Assert.Equal(2, cache.Count);
        cache.Put(3, "three");

        Assert.Equal(1, cache.Count);
        Assert.False(cache.TryGet(1, out _));
        Assert.True(cache.TryGet(3, out var third));
        Assert.Equal("three", third);
    }

    [Fact]
    public void A_cache_of_capacity_zero_keeps_nothing()
    {
        var cache = new RecordCache<string, string>(capacity: 0);
        cache.Put("card", "record");

        Assert.False(cache.TryGet("card", out _));
    }

    public void Dispose()
    {
        _database.Dispose();
        _protector.Dispose();
    }

    private LedgerStore StoreWithOneCard(out CardRecord card, out AccountRecord account)
    {
        var store = new LedgerStore(_database, _protector, cachedRecords: 100);
        account = new AccountRecord { Id = 7, Type = AccountType.Checking, Currency = 840, OpeningBalance = 100_000, Balance = 100_000 };
        card = new CardRecord
        {
            Id = 3,
            Pan = "4761739001010119",
            Pvv = "1234",
            Expiry = "2812",
            Status = CardStatus.Active,
            DailyAmountLimit = 50_000,
            DailyCountLimit = 10,
            Accounts = [new LinkedAccount(AccountType.Checking, 7)],
        };
        store.InsertAccounts([account]);
        store.InsertCards([card]);
        return store;
    }
}
