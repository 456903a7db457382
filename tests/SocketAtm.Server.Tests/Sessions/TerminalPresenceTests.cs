using Microsoft.Extensions.Time.Testing;
using SocketAtm.Server.Sessions;

namespace SocketAtm.Server.Tests.Sessions;

/// <summary>The console's list of terminals: signed on over how many connections, last heard from when, and bounded.</summary>
public sealed class TerminalPresenceTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_terminal_is_signed_on_while_any_of_its_connections_is_and_a_request_stamps_its_last_activity()
    {
        var presence = new TerminalPresence(_time);
        presence.SignedOn("ATM00001", "10.0.0.5");
        presence.SignedOn("ATM00001", "10.0.0.6");
        _time.Advance(TimeSpan.FromSeconds(30));
        presence.Touched("ATM00001");
        presence.SignedOff("ATM00001");

        var terminal = Assert.Single(presence.Snapshot(10));
        Assert.Equal(1, terminal.Connections);
        Assert.Equal(1, presence.SignedOnCount);
        Assert.Equal(_time.GetUtcNow().ToUnixTimeMilliseconds(), terminal.LastActivityMs);
        Assert.Equal("10.0.0.6", terminal.RemoteAddress);

        presence.SignedOff("ATM00001");
        Assert.Equal(0, presence.SignedOnCount);
        Assert.Equal(0, Assert.Single(presence.Snapshot(10)).Connections);
    }

    [Fact]
    public void A_request_of_a_terminal_never_signed_on_adds_nothing()
    {
        var presence = new TerminalPresence(_time);
        presence.Touched("ATM00099");
        presence.SignedOff("ATM00099");
        Assert.Empty(presence.Snapshot(10));
    }

    [Fact]
    public void Signed_on_terminals_are_listed_first_then_the_most_recently_active()
    {
        var presence = new TerminalPresence(_time);
        foreach (var id in new[] { "ATM00001", "ATM00002", "ATM00003" })
        {
            presence.SignedOn(id, null);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        presence.SignedOff("ATM00003");
        _time.Advance(TimeSpan.FromSeconds(1));
        presence.SignedOff("ATM00001");

        Assert.Equal(["ATM00002", "ATM00001", "ATM00003"], presence.Snapshot(10).Select(terminal => terminal.TerminalId));
        Assert.Equal(["ATM00002"], presence.Snapshot(1).Select(terminal => terminal.TerminalId));
    }

    [Fact]
    public void Beyond_its_capacity_the_longest_silent_signed_off_terminals_go_and_signed_on_ones_stay()
    {
        var presence = new TerminalPresence(_time, capacity: 3);
        presence.SignedOn("ATM00001", null);
        for (var index = 2; index <= 6; index++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            var id = $"ATM{index:D5}";
            presence.SignedOn(id, null);
            presence.SignedOff(id);
        }

        var listed = presence.Snapshot(10).Select(terminal => terminal.TerminalId).ToList();
        Assert.Equal(3, listed.Count);
        Assert.Equal(["ATM00001", "ATM00006", "ATM00005"], listed);
    }
}
