using System.Diagnostics;
using SocketAtm.Server.Ledger;

namespace SocketAtm.Server.Tests.Ledger;

/// <summary>
/// Reads and key updates of one terminal race; whatever order they finish in, the cache never goes back to replaced keys.
/// And what a remote party can grow — "not registered" answers for any DE 41 — is bounded.
/// </summary>
public sealed class TerminalRecordCacheTests
{
    private static readonly TerminalRecord Registered = DemoData.Terminals().First();

    private static readonly TerminalRecord Exchanged =
        Registered.WithPendingKeys(Convert.FromHexString("00112233445566778899AABBCCDDEEFF"), Registered.MacKey);

    [Fact]
    public void A_read_that_started_before_a_key_update_does_not_replace_the_keys_the_update_stored()
    {
        var cache = new TerminalRecordCache(TimeSpan.FromHours(1));
        var readStarted = Stopwatch.GetTimestamp();
        cache.Offer(Registered.TerminalId, Exchanged, Stopwatch.GetTimestamp());

        var served = cache.Offer(Registered.TerminalId, Registered, readStarted);

        Assert.Same(Exchanged, served);
        Assert.True(cache.TryGetFresh(Registered.TerminalId, Stopwatch.GetTimestamp(), out var cached));
        Assert.Same(Exchanged, cached);
    }

    [Fact]
    public void Two_key_updates_finishing_in_reverse_order_leave_the_later_keys()
    {
        var cache = new TerminalRecordCache(Timeout.InfiniteTimeSpan);
        var later = Exchanged.WithPendingKeysPromoted(DateTimeOffset.UnixEpoch);

        cache.Offer(Registered.TerminalId, later, Stopwatch.GetTimestamp());
        cache.Offer(Registered.TerminalId, Exchanged, Stopwatch.GetTimestamp());

        Assert.Same(later, cache.Find(Registered.TerminalId));
    }

    [Fact]
    public void A_newer_read_of_the_same_keys_refreshes_the_entry_and_an_expired_one_is_not_served()
    {
        var cache = new TerminalRecordCache(TimeSpan.FromSeconds(1));
        var start = Stopwatch.GetTimestamp();
        cache.Offer(Registered.TerminalId, Registered, start);
        var twoSecondsLater = start + (2 * Stopwatch.Frequency);

        Assert.False(cache.TryGetFresh(Registered.TerminalId, twoSecondsLater, out _));
        cache.Offer(Registered.TerminalId, Registered, twoSecondsLater);
        Assert.True(cache.TryGetFresh(Registered.TerminalId, twoSecondsLater, out var refreshed));
        Assert.Same(Registered, refreshed);
    }

    [Fact]
    public void Unknown_terminal_ids_are_remembered_up_to_the_bound_and_registered_ones_are_kept_past_it()
    {
        var cache = new TerminalRecordCache(TimeSpan.FromHours(1));
        var now = Stopwatch.GetTimestamp();
        cache.Offer(Registered.TerminalId, Registered, now);

        // Any DE 41 a remote party sends is looked up, and PostgreSQL's answer "not registered" is cached: twice the bound of them.
        for (var i = 0; i < 2 * TerminalRecordCache.MaxNotRegistered; i++)
        {
            Assert.Null(cache.Offer(UnknownId(i), null, now));
        }

        Assert.InRange(cache.NotRegisteredCount, 1, TerminalRecordCache.MaxNotRegistered);
        Assert.InRange(cache.Count, 2, TerminalRecordCache.MaxNotRegistered + 1);
        Assert.True(cache.TryGetFresh(Registered.TerminalId, now, out var kept));
        Assert.Same(Registered, kept);
        Assert.True(cache.TryGetFresh(UnknownId((2 * TerminalRecordCache.MaxNotRegistered) - 1), now, out var latest));
        Assert.Null(latest);
    }

    [Fact]
    public void An_unknown_id_that_becomes_registered_no_longer_counts_against_the_bound()
    {
        var cache = new TerminalRecordCache(TimeSpan.FromHours(1));
        var now = Stopwatch.GetTimestamp();
        cache.Offer(Registered.TerminalId, null, now);
        cache.Offer("UNKNOWN1", null, now);
        Assert.Equal(2, cache.NotRegisteredCount);

        cache.Offer(Registered.TerminalId, Registered, Stopwatch.GetTimestamp());
        cache.Forget("UNKNOWN1");

        Assert.Equal(0, cache.NotRegisteredCount);
        Assert.Same(Registered, cache.Find(Registered.TerminalId));
    }

    private static string UnknownId(int i) => "X" + i.ToString("D7", System.Globalization.CultureInfo.InvariantCulture);
}
