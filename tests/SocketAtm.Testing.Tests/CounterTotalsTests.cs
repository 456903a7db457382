using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace SocketAtm.Testing.Tests;

/// <summary>The counter totals the transport and TLS tests read a host's (or a session pipeline's) own instruments through.</summary>
public sealed class CounterTotalsTests
{
    [Fact]
    public void Totals_are_kept_per_instrument_and_tags_and_summed_by_prefix()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        var refused = factory.Create("test").CreateCounter<long>("refused");
        using var totals = new CounterTotals(factory);

        refused.Add(1, new KeyValuePair<string, object?>("reason", "timeout"));
        refused.Add(2, new KeyValuePair<string, object?>("reason", "rejected"));
        refused.Add(4, new KeyValuePair<string, object?>("reason", "timeout"));

        Assert.Equal(5, totals.Count("refused/reason=timeout"));
        Assert.Equal(2, totals.Count("refused/reason=rejected"));
        Assert.Equal(7, totals.Count("refused"));
        Assert.Equal(0, totals.Count("accepted"));
    }

    [Fact]
    public void A_tag_value_that_begins_another_is_not_counted_with_it()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        var refused = factory.Create("test").CreateCounter<long>("refused");
        var refusedLater = factory.Create("test").CreateCounter<long>("refused_later");
        using var totals = new CounterTotals(factory);

        refused.Add(1, new KeyValuePair<string, object?>("reason", "max_connections"));
        refused.Add(2, new KeyValuePair<string, object?>("reason", "max_connections_per_address"));
        refusedLater.Add(4);

        Assert.Equal(1, totals.Count("refused/reason=max_connections"));
        Assert.Equal(3, totals.Count("refused"));
    }

    [Fact]
    public void Instruments_of_another_meter_factory_are_not_counted()
    {
        using var ours = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var theirs = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var ourFactory = ours.GetRequiredService<IMeterFactory>();
        using var totals = new CounterTotals(ourFactory);

        theirs.GetRequiredService<IMeterFactory>().Create("test").CreateCounter<long>("frames").Add(3);
        ourFactory.Create("test").CreateCounter<long>("frames").Add(1);

        Assert.Equal(1, totals.Count("frames"));
    }

    [Fact]
    public void Nothing_recorded_after_dispose_is_counted()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        var frames = factory.Create("test").CreateCounter<long>("frames");
        var totals = new CounterTotals(factory);

        frames.Add(1);
        totals.Dispose();
        frames.Add(1);

        Assert.Equal(1, totals.Count("frames"));
    }
}
