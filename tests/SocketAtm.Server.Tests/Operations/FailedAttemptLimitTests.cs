using System.Net;
using Microsoft.Extensions.Time.Testing;
using SocketAtm.Server.Operations.Access;

namespace SocketAtm.Server.Tests.Operations;

/// <summary>Failed operator credentials per address: refused for the rest of the window after the limit, logged once, a bounded table that fails closed.</summary>
public sealed class FailedAttemptLimitTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private static readonly IPAddress Attacker = IPAddress.Parse("192.0.2.7");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public void The_limit_reached_refuses_the_address_for_the_rest_of_the_window_only_and_is_reported_once()
    {
        var limit = new FailedAttemptLimit(5, Window, 100, _time);

        var failures = Enumerable.Range(0, 4).Select(_ => limit.Record(Attacker)).ToList();
        var beforeLimit = limit.IsRefused(Attacker, out _);
        _time.Advance(TimeSpan.FromSeconds(20));
        var fifth = limit.Record(Attacker);
        var sixth = limit.Record(Attacker);
        var refused = limit.IsRefused(Attacker, out var retryAfter);
        var otherAddress = limit.IsRefused(IPAddress.Parse("192.0.2.8"), out _);
        _time.Advance(TimeSpan.FromSeconds(40));
        var afterWindow = limit.IsRefused(Attacker, out _);

        Assert.DoesNotContain(failures, failure => failure.NowRefused);
        Assert.False(beforeLimit);
        Assert.Equal(("192.0.2.7", 5, true), (fifth.CountedAs, fifth.Failures, fifth.NowRefused));
        Assert.False(sixth.NowRefused);
        Assert.True(refused);
        Assert.Equal(TimeSpan.FromSeconds(40), retryAfter);
        Assert.False(otherAddress);
        Assert.False(afterWindow);
        Assert.Equal(1, limit.Record(Attacker).Failures);
    }

    [Fact]
    public void An_ipv6_attacker_counts_as_its_64_and_a_mapped_ipv4_one_as_its_ipv4_address()
    {
        var limit = new FailedAttemptLimit(2, Window, 100, _time);

        limit.Record(IPAddress.Parse("2001:db8:1:2::1"));
        limit.Record(IPAddress.Parse("2001:db8:1:2:ffff::9"));
        limit.Record(IPAddress.Parse("::ffff:192.0.2.7"));
        limit.Record(Attacker);

        Assert.True(limit.IsRefused(IPAddress.Parse("2001:db8:1:2::77"), out _));
        Assert.False(limit.IsRefused(IPAddress.Parse("2001:db8:1:3::1"), out _));
        Assert.True(limit.IsRefused(Attacker, out _));
    }

    [Fact]
    public void Many_addresses_never_grow_the_table_past_its_cap_and_beyond_it_new_addresses_share_one_count()
    {
        var limit = new FailedAttemptLimit(5, Window, 3, _time);

        for (var host = 1; host <= 250; host++)
        {
            limit.Record(IPAddress.Parse("198.51.100." + host));
        }

        var tracked = limit.Tracked;
        var newcomer = IPAddress.Parse("203.0.113.9");
        var newcomerRefused = limit.IsRefused(newcomer, out _);
        var trackedOneRefused = limit.IsRefused(IPAddress.Parse("198.51.100.1"), out _);
        var overflow = limit.Record(newcomer);
        _time.Advance(Window);
        var afterWindow = limit.Record(newcomer);

        Assert.Equal(3, tracked);
        Assert.True(newcomerRefused); // 247 failures shared by the untracked addresses: closed, not open
        Assert.False(trackedOneRefused); // one failure of its own
        Assert.Equal(FailedAttemptLimit.OtherAddresses, overflow.CountedAs);
        Assert.Equal(("203.0.113.9", 1), (afterWindow.CountedAs, afterWindow.Failures)); // the passed windows made room
        Assert.False(limit.IsRefused(IPAddress.Parse("203.0.113.10"), out _));
    }

    [Fact]
    public void An_unknown_remote_address_is_counted_under_one_key()
    {
        var limit = new FailedAttemptLimit(1, Window, 10, _time);

        limit.Record(null);

        Assert.True(limit.IsRefused(null, out _));
        Assert.Equal(1, limit.Tracked);
    }
}
