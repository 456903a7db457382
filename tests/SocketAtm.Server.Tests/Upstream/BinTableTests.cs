using SocketAtm.Server.Routing;
using SocketAtm.Server.Upstream;

namespace SocketAtm.Server.Tests.Upstream;

public class BinTableTests
{
    private sealed record Target(string Name);

    private static readonly Target Short = new("short");
    private static readonly Target Long = new("long");
    private static readonly Target Zero = new("zero");

    private static BinTable<Target> Table() => new([("54", Short), ("541333", Long), ("054", Zero)]);

    [Theory]
    [InlineData("5413330000000011", "long")]
    [InlineData("5499990000000011", "short")]
    [InlineData("0540000000000000", "zero")]
    [InlineData("5400", "short")]
    [InlineData("4761739001010119", null)]
    [InlineData("5", null)]
    [InlineData("", null)]
    [InlineData("54a3330000000011", "short")]
    public void The_longest_matching_prefix_wins(string pan, string? expected)
    {
        var found = Table().TryFind(pan, out var target);

        Assert.Equal(expected is not null, found);
        Assert.Equal(expected, found ? target.Name : null);
    }

    [Fact]
    public void A_lookup_allocates_nothing()
    {
        var table = Table();
        table.TryFind("5413330000000011", out _);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            table.TryFind("5413330000000011", out _);
            table.TryFind("4761739001010119", out _);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Theory]
    [InlineData("541333", "541333")]
    [InlineData("12345678901", "5")]
    public void A_prefix_given_twice_or_malformed_is_refused(string first, string second)
    {
        if (first == second)
        {
            Assert.Throws<ArgumentException>(() => new BinTable<Target>([(first, Short), (second, Long)]));
        }
        else
        {
            Assert.Throws<ArgumentException>(() => new BinTable<Target>([("123456789012", Short)]));
            Assert.Equal(2, new BinTable<Target>([(first, Short), (second, Long)]).Count);
        }
    }

    [Fact]
    public void The_stan_wraps_from_999999_to_000001_never_000000()
    {
        var stans = new StanSequence(last: 999_998);

        Assert.Equal([999_999, 1, 2], new[] { stans.Next(), stans.Next(), stans.Next() });
    }

    [Fact]
    public void The_reconnect_backoff_doubles_up_to_its_cap_with_jitter_between_half_and_all()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), new Random(7));

        Assert.Equal([100, 200, 400, 800, 1000, 1000], Enumerable.Range(0, 6).Select(round => backoff.Ceiling(round).TotalMilliseconds));
        for (var round = 0; round < 40; round++)
        {
            var delay = backoff.Delay(round);
            Assert.InRange(delay, backoff.Ceiling(round) / 2, backoff.Ceiling(round));
        }

        Assert.True(Enumerable.Range(0, 20).Select(_ => backoff.Delay(3)).Distinct().Count() > 1, "jitter varies the delay");
    }
}
