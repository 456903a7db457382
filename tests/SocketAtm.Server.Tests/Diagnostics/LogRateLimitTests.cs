using Microsoft.Extensions.Time.Testing;
using SocketAtm.Server.Diagnostics;

namespace SocketAtm.Server.Tests.Diagnostics;

/// <summary>Rate-limited log lines: the first per source and kind a window, the count of the rest with the next, a bounded table.</summary>
public sealed class LogRateLimitTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public void The_first_line_of_a_window_is_logged_and_the_next_one_after_it_carries_the_count_of_the_rest()
    {
        var limit = new LogRateLimit(_time);

        var first = limit.ShouldLog("192.0.2.7", "mandatory DE 35 is missing", out var none, out var source);
        var rest = Enumerable.Range(0, 199).Count(n => limit.ShouldLog("192.0.2.7", "mandatory DE 35 is missing", out _, out _));
        var otherKind = limit.ShouldLog("192.0.2.7", "no route for this MTI", out _, out _);
        var otherSource = limit.ShouldLog("192.0.2.8", "mandatory DE 35 is missing", out _, out _);
        _time.Advance(LogRateLimit.DefaultWindow);
        var afterWindow = limit.ShouldLog("192.0.2.7", "mandatory DE 35 is missing", out var suppressed, out _);

        Assert.True(first);
        Assert.Equal((0L, "192.0.2.7"), (none, source));
        Assert.Equal(0, rest);
        Assert.True(otherKind);
        Assert.True(otherSource);
        Assert.True(afterWindow);
        Assert.Equal(199, suppressed);
        Assert.False(limit.ShouldLog("192.0.2.7", "mandatory DE 35 is missing", out _, out _));
    }

    [Fact]
    public void While_the_table_is_full_new_sources_share_one_entry_per_kind_and_passed_ones_make_room_after_a_window()
    {
        var limit = new LogRateLimit(_time, maxTrackedKeys: 2);
        limit.ShouldLog("192.0.2.1", "refused", out _, out _);
        limit.ShouldLog("192.0.2.2", "refused", out _, out _);

        var third = limit.ShouldLog("192.0.2.3", "refused", out _, out var thirdSource);
        var fourth = limit.ShouldLog("192.0.2.4", "refused", out _, out _);
        _time.Advance(LogRateLimit.DefaultWindow);
        var later = limit.ShouldLog("192.0.2.5", "refused", out _, out var laterSource);

        Assert.True(third);
        Assert.Equal(LogRateLimit.OtherSources, thirdSource);
        Assert.False(fourth); // counted under "other addresses", already logged this window
        Assert.True(later);
        Assert.Equal("192.0.2.5", laterSource);
        Assert.True(limit.Tracked <= 3);
    }
}
