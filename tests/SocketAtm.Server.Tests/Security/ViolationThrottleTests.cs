using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using SocketAtm.Server.Security;

namespace SocketAtm.Server.Tests.Security;

/// <summary>
/// The throttle of security violations: per terminal and per address, a fixed window from the first violation, the first
/// <c>ViolationThreshold</c> journaled one by one and the rest throttled, one summary per window that throttled anything,
/// and a bounded table.
/// </summary>
public sealed class ViolationThrottleTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);

    [Fact]
    public void The_first_violations_up_to_the_threshold_are_journaled_and_the_rest_of_the_window_throttled_logging_once()
    {
        var throttle = Throttle(threshold: 3);

        var verdicts = Enumerable.Range(0, 6).Select(_ => throttle.Record("ATM00001", "192.0.2.7", ViolationReason.Mac)).ToList();

        Assert.Equal([false, false, false, true, true, true], verdicts.Select(verdict => verdict.Throttled));
        Assert.Equal([false, false, false, true, false, false], verdicts.Select(verdict => verdict.TerminalThrottlingStarted));
        Assert.Equal([false, false, false, true, false, false], verdicts.Select(verdict => verdict.AddressThrottlingStarted));
        Assert.Empty(throttle.TakeEnded()); // the window is still running
    }

    [Fact]
    public void When_the_window_has_passed_its_summary_is_taken_once_and_the_next_violation_is_journaled_again()
    {
        var throttle = Throttle(threshold: 2);
        throttle.Record("ATM00001", "192.0.2.7", ViolationReason.Mac);
        _time.Advance(TimeSpan.FromSeconds(10));
        throttle.Record("ATM00001", "192.0.2.7", ViolationReason.Stale);
        throttle.Record("ATM00001", "192.0.2.7", ViolationReason.Mac);
        throttle.Record("ATM00001", "192.0.2.7", ViolationReason.Stale);
        throttle.Record("ATM00001", "192.0.2.7", ViolationReason.Mac);

        _time.Advance(TimeSpan.FromSeconds(50));
        var ended = throttle.TakeEnded();
        var next = throttle.Record("ATM00001", "192.0.2.7", ViolationReason.Mac);

        var terminal = Assert.Single(ended, summary => summary.IsTerminal);
        Assert.Equal(("ATM00001", 2, 1, 3, 2, Start), (terminal.Key, terminal.Mac, terminal.Stale, terminal.Throttled, terminal.Journaled, terminal.StartedAt));
        Assert.Equal(
            "3 violations (mac: 2, stale: 1) from 192.0.2.7 in 00:01:00 from 2026-11-25T10:00:00Z, after 2 journaled one by one",
            terminal.Detail);
        var address = Assert.Single(ended, summary => !summary.IsTerminal);
        Assert.Equal(("192.0.2.7", 3), (address.Key, address.Throttled));
        Assert.False(next.Throttled);
        Assert.Empty(throttle.TakeEnded());
    }

    [Fact]
    public void A_violation_after_the_window_ends_it_and_leaves_its_summary_pending()
    {
        var throttle = Throttle(threshold: 1);
        throttle.Record("ATM00001", null, ViolationReason.Mac);
        throttle.Record("ATM00001", null, ViolationReason.Mac);
        _time.Advance(TimeSpan.FromMinutes(2));

        var next = throttle.Record("ATM00001", null, ViolationReason.Mac);

        Assert.False(next.Throttled);
        Assert.True(next.SummariesPending);
        var summary = Assert.Single(throttle.TakeEnded());
        Assert.Equal((1, "an unknown address"), (summary.Throttled, summary.Sources));
    }

    [Fact]
    public void An_address_over_the_threshold_throttles_every_terminal_behind_it_and_each_terminal_sums_up_its_own()
    {
        var throttle = Throttle(threshold: 3);
        var verdicts = new[] { "ATM00001", "ATM00002", "ATM00003", "ATM00004", "ATM00004", "ATM00005" }
            .Select(terminal => throttle.Record(terminal, "2001:db8:1:2::/64", ViolationReason.Mac))
            .ToList();
        var elsewhere = throttle.Record("ATM00006", "192.0.2.8", ViolationReason.Mac);

        Assert.Equal([false, false, false, true, true, true], verdicts.Select(verdict => verdict.Throttled));
        Assert.Equal([false, false, false, true, false, true], verdicts.Select(verdict => verdict.TerminalThrottlingStarted));
        Assert.Equal([false, false, false, true, false, false], verdicts.Select(verdict => verdict.AddressThrottlingStarted));
        Assert.False(elsewhere.Throttled);
        var summaries = throttle.TakeAll();
        Assert.Equal(
            ["2001:db8:1:2::/64:3", "ATM00004:2", "ATM00005:1"],
            summaries.Select(summary => summary.Key + ":" + summary.Throttled.ToString(CultureInfo.InvariantCulture)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_terminal_over_the_threshold_is_throttled_from_any_address_and_its_summary_says_so()
    {
        var throttle = Throttle(threshold: 2);
        foreach (var address in new[] { "192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4" })
        {
            throttle.Record("ATM00001", address, ViolationReason.Mac);
        }

        var summary = Assert.Single(throttle.TakeAll(), summary => summary.IsTerminal);
        Assert.Equal((2, "192.0.2.3 and other addresses"), (summary.Throttled, summary.Sources));
    }

    [Fact]
    public void Unknown_terminals_are_counted_per_address_only()
    {
        var throttle = Throttle(threshold: 2);

        var verdicts = Enumerable.Range(0, 4).Select(_ => throttle.Record(null, "192.0.2.7", ViolationReason.UnknownTerminal)).ToList();

        Assert.Equal([false, false, true, true], verdicts.Select(verdict => verdict.Throttled));
        var summary = Assert.Single(throttle.TakeAll());
        Assert.Equal((false, 2, 0), (summary.IsTerminal, summary.UnknownTerminal, summary.Mac));
        Assert.Equal(0, throttle.Tracked); // the address was all it tracked, and its window is over
    }

    [Fact]
    public void A_peek_counts_nothing_and_a_violation_decided_before_it_was_known_counts_as_it_was_handled()
    {
        var throttle = Throttle(threshold: 2);
        Assert.False(throttle.IsThrottled("ATM00001", "192.0.2.7"));
        throttle.RecordHandled("ATM00001", "192.0.2.7", ViolationReason.Stale, journaled: true);
        Assert.False(throttle.IsThrottled("ATM00001", "192.0.2.7"));
        throttle.RecordHandled("ATM00001", "192.0.2.7", ViolationReason.Stale, journaled: true);

        Assert.True(throttle.IsThrottled("ATM00001", "192.0.2.7"));
        Assert.True(throttle.IsThrottled("ATM00002", "192.0.2.7")); // its address is
        Assert.False(throttle.IsThrottled("ATM00002", "192.0.2.8"));
        var handled = throttle.RecordHandled("ATM00001", "192.0.2.7", ViolationReason.Stale, journaled: false);
        Assert.True(handled is { Throttled: true, TerminalThrottlingStarted: true });
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.False(throttle.IsThrottled("ATM00001", "192.0.2.7"));
        Assert.Equal(1, Assert.Single(throttle.TakeEnded(), summary => summary.IsTerminal).Stale);
    }

    [Fact]
    public void The_table_is_bounded_drops_ended_windows_first_and_otherwise_ends_the_oldest_early_keeping_its_summary()
    {
        var throttle = Throttle(threshold: 1, maxTrackedKeys: 3);
        throttle.Record("ATM00001", null, ViolationReason.Mac);
        throttle.Record("ATM00001", null, ViolationReason.Mac); // throttled: the window has something to sum up
        _time.Advance(TimeSpan.FromSeconds(1));
        throttle.Record("ATM00002", null, ViolationReason.Mac);
        throttle.Record("ATM00003", null, ViolationReason.Mac);

        throttle.Record("ATM00004", null, ViolationReason.Mac); // full, none ended: the oldest (ATM00001) goes
        _time.Advance(TimeSpan.FromMinutes(1));
        throttle.Record("ATM00005", null, ViolationReason.Mac); // full again: the windows that passed go

        Assert.Equal(1, throttle.Tracked);
        var summary = Assert.Single(throttle.TakeEnded());
        Assert.Equal(("ATM00001", 1), (summary.Key, summary.Throttled));
    }

    [Fact]
    public void A_flood_of_new_keys_keeps_the_table_at_its_bound()
    {
        var throttle = Throttle(threshold: 10);
        for (var i = 0; i < ViolationThrottle.MaxTrackedKeys + 5_000; i++)
        {
            throttle.Record(null, "10." + (i >> 16).ToString(CultureInfo.InvariantCulture) + "." + ((i >> 8) & 255).ToString(CultureInfo.InvariantCulture) + "." + (i & 255).ToString(CultureInfo.InvariantCulture), ViolationReason.UnknownTerminal);
        }

        Assert.Equal(ViolationThrottle.MaxTrackedKeys, throttle.Tracked);
        Assert.Empty(throttle.TakeEnded()); // none of them throttled anything: nothing to sum up
    }

    private ViolationThrottle Throttle(int threshold, int maxTrackedKeys = ViolationThrottle.MaxTrackedKeys) =>
        new(new ViolationThrottleOptions { ViolationThreshold = threshold, ViolationWindow = TimeSpan.FromMinutes(1) }, _time, maxTrackedKeys);
}
