using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using SocketAtm.Server.Handlers;

namespace SocketAtm.Server.Tests.Handlers;

/// <summary>The per-terminal key exchange limit: a sliding window, a log line per run of refusals, and a bounded table.</summary>
public sealed class KeyExchangeRateLimitTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void The_window_slides_one_exchange_at_a_time()
    {
        var limit = new KeyExchangeRateLimit(new KeyExchangeOptions { KeyExchangeLimit = 3, KeyExchangeWindow = TimeSpan.FromMinutes(10) }, _time);
        var grants = new List<KeyExchangeGrant>();
        foreach (var minute in new[] { 0, 1, 2, 3, 4, 10, 11, 11, 12 })
        {
            _time.SetUtcNow(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero).AddMinutes(minute));
            grants.Add(limit.TryAcquire("ATM00001"));
        }

        Assert.Equal(
            [KeyExchangeGrant.Granted, KeyExchangeGrant.Granted, KeyExchangeGrant.Granted, KeyExchangeGrant.Limited, KeyExchangeGrant.LimitedAgain,
                KeyExchangeGrant.Granted, KeyExchangeGrant.Granted, KeyExchangeGrant.Limited, KeyExchangeGrant.Granted],
            grants);
    }

    [Fact]
    public void The_table_is_bounded_forgets_idle_terminals_first_and_refuses_a_new_one_while_all_are_active()
    {
        var limit = new KeyExchangeRateLimit(new KeyExchangeOptions { KeyExchangeLimit = 1, KeyExchangeWindow = TimeSpan.FromMinutes(10) }, _time);
        for (var i = 0; i < KeyExchangeRateLimit.MaxTrackedTerminals; i++)
        {
            Assert.Equal(KeyExchangeGrant.Granted, limit.TryAcquire(i.ToString("D8", CultureInfo.InvariantCulture)));
        }

        var whileFull = limit.TryAcquire("NEWTERM1");
        _time.Advance(TimeSpan.FromMinutes(10));
        var afterWindow = limit.TryAcquire("NEWTERM1");

        Assert.Equal(KeyExchangeGrant.TrackingFull, whileFull);
        Assert.Equal(KeyExchangeGrant.Granted, afterWindow);
        Assert.Equal(1, limit.Tracked);
    }
}
