using System.Security.Cryptography;
using LiteDB;
using SocketAtm.Server.Ledger.KeyProtection;
using SocketAtm.Server.Ledger.LiteDb;
using SocketAtm.Server.Ledger.Model;

namespace SocketAtm.Server.Tests.Ledger.LiteDb;

/// <summary>
/// The reversal-marker keys the LiteDB store keeps in memory are bounded (terminals can leave markers): past the bound it
/// asks the collection, and it finds every marker either way; pruning markers brings the set back.
/// </summary>
public sealed class MarkerKeyCacheTests : IDisposable
{
    private const int Bound = 3;
    private readonly LiteDatabase _database = new(new MemoryStream());
    private readonly KeyProtector _protector = new(RandomNumberGenerator.GetBytes(KeyProtector.KeyEncryptionKeyLength));

    [Fact]
    public void Markers_are_found_below_and_beyond_the_bound_and_after_pruning()
    {
        var store = new LedgerStore(_database, _protector, maxCachedMarkerKeys: Bound);
        store.EnsureIndexes();
        store.InsertReversalMarkers([Marker("a", at: 1), Marker("b", at: 2)]);

        Assert.NotNull(store.FindReversalMarker("a"));
        Assert.Null(store.FindReversalMarker("x"));
        Assert.Equal(2, store.CachedMarkerKeys);

        store.InsertReversalMarkers([Marker("c", at: 3), Marker("d", at: 4), Marker("e", at: 5)]);

        Assert.All(["a", "b", "c", "d", "e"], key => Assert.NotNull(store.FindReversalMarker(key)));
        Assert.Null(store.FindReversalMarker("x"));
        Assert.Equal(0, store.CachedMarkerKeys); // five markers, more than the bound: none kept, the collection is asked
        Assert.Equal(4, store.PruneExpired(cutoffUnixMilliseconds: 5, limit: 10));
        Assert.Null(store.FindReversalMarker("a"));
        Assert.NotNull(store.FindReversalMarker("e"));
        Assert.Equal(1, store.CachedMarkerKeys);
        Assert.NotNull(new LedgerStore(_database, _protector, maxCachedMarkerKeys: Bound).FindReversalMarker("e"));
    }

    public void Dispose()
    {
        _database.Dispose();
        _protector.Dispose();
    }

    private static ReversalMarker Marker(string key, long at) => new(key, "reversal of " + key, at, "DIGEST", 1_000);
}
