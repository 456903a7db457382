using SocketAtm.Client;

namespace SocketAtm.TerminalClient.Tests.Client;

public sealed class StanGeneratorTests
{
    [Fact]
    public async Task Concurrent_callers_never_get_the_same_stan()
    {
        var stans = new StanGenerator(1);
        var drawn = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Enumerable.Range(0, 50_000).Select(_ => stans.Next()).ToArray())));

        var all = drawn.SelectMany(s => s).ToList();
        Assert.Equal(400_000, all.Distinct().Count());
        Assert.Equal(1, all.Min());
        Assert.Equal(400_000, all.Max());
    }

    [Fact]
    public void After_999999_the_stan_wraps_to_1()
    {
        var stans = new StanGenerator(999_998);

        Assert.Equal([999_998, 999_999, 1, 2], [stans.Next(), stans.Next(), stans.Next(), stans.Next()]);
    }

    [Fact]
    public void A_random_first_stan_is_in_range()
    {
        Assert.All(Enumerable.Range(0, 1000).Select(_ => StanGenerator.RandomFirst()), stan => Assert.InRange(stan, 1, 999_999));
    }
}
