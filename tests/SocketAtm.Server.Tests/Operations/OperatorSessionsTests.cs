using Microsoft.Extensions.Time.Testing;
using SocketAtm.Server.Operations.Access;

namespace SocketAtm.Server.Tests.Operations;

/// <summary>Sign-in sessions: random ids valid for their lifetime only, ended by sign-out, in a bounded table.</summary>
public sealed class OperatorSessionsTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_session_is_valid_for_its_lifetime_not_after_and_not_once_ended()
    {
        var sessions = new OperatorSessions(TimeSpan.FromHours(8), 10, _time);
        var kept = sessions.Start();
        var ended = sessions.Start();

        sessions.End(ended);
        var validBefore = sessions.IsValid(kept);
        _time.Advance(TimeSpan.FromHours(8));

        Assert.NotEqual(kept, ended);
        Assert.True(validBefore);
        Assert.False(sessions.IsValid(ended));
        Assert.False(sessions.IsValid(kept));
        Assert.False(sessions.IsValid(kept[..^1] + (kept[^1] == 'A' ? 'B' : 'A')));
        Assert.False(sessions.IsValid(null));
        Assert.False(sessions.IsValid(new string('A', 10_000)));
    }

    [Fact]
    public void At_the_cap_the_oldest_session_makes_room()
    {
        var sessions = new OperatorSessions(TimeSpan.FromHours(8), 3, _time);
        var ids = new List<string>();
        for (var n = 0; n < 10; n++)
        {
            ids.Add(sessions.Start());
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(3, sessions.Count);
        Assert.Equal([false, false, false, false, false, false, false, true, true, true], ids.Select(sessions.IsValid));
    }
}
