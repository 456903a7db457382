using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using SocketAtm.Server.Diagnostics;
using SocketAtm.Server.Ledger;
using SocketAtm.Testing;

namespace SocketAtm.Server.Tests.Diagnostics;

/// <summary>
/// deploy/'s Grafana dashboard and Prometheus alert rules query only series the host exports: every socketatm_* name in
/// them is one of the host's instruments as /metrics names it (dots as underscores, the unit's suffix, _total for a
/// counter, _bucket/_sum/_count for a histogram), so a renamed instrument or a typo fails here, not on an operator's wall.
/// </summary>
public sealed partial class MonitoringSamplesTests
{
    [Theory]
    [InlineData("deploy/grafana/socketatm-dashboard.json")]
    [InlineData("deploy/socketatm-alerts.yml")]
    public void Every_series_the_sample_queries_is_one_the_host_exports(string sample)
    {
        var exported = ExportedSeries();
        var queried = SeriesName().Matches(File.ReadAllText(RepositoryFiles.PathOf(sample.Split('/')))).Select(match => match.Value).ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(queried);
        Assert.Equal(string.Empty, string.Join(", ", queried.Where(name => !exported.Contains(name)).Order(StringComparer.Ordinal)));
    }

    [Fact]
    public void The_naming_follows_the_exporters_rules()
    {
        var exported = ExportedSeries();

        Assert.Contains("socketatm_messages_total", exported);
        Assert.Contains("socketatm_processing_duration_milliseconds_bucket", exported);
        Assert.Contains("socketatm_saf_oldest_age_seconds", exported);
        Assert.DoesNotContain("socketatm_messages", exported);
    }

    /// <summary>The host's instruments, named as OpenTelemetry's Prometheus exporter names them.</summary>
    private static HashSet<string> ExportedSeries()
    {
        using var provider = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = provider.GetRequiredService<IMeterFactory>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    foreach (var name in PrometheusNames(instrument))
                    {
                        names.Add(name);
                    }
                }
            },
        };
        listener.Start();
        _ = new AtmMetrics(factory);
        using var ledger = new LedgerMetrics(factory);
        ledger.ObserveQueueDepth(() => 0); // as the ledger's queue does
        _ = new UpstreamMetrics(factory);
        _ = new SafMetrics(factory);
        _ = new SocketAtm.Server.Operations.Console.ConsoleViewers(new SocketAtm.Server.Operations.Console.ConsoleOptions(), factory);
        _ = new SocketAtm.Server.Operations.Access.OperatorAccessMetrics(factory);
        return names;
    }

    private static IEnumerable<string> PrometheusNames(Instrument instrument)
    {
        var name = instrument.Name.Replace('.', '_') + instrument.Unit switch
        {
            "ms" => "_milliseconds",
            "s" => "_seconds",
            _ => string.Empty, // annotations such as {request} name no unit
        };
        var type = instrument.GetType().GetGenericTypeDefinition();
        if (type == typeof(Counter<>) || type == typeof(ObservableCounter<>))
        {
            return [name + "_total"];
        }

        return type == typeof(Histogram<>) ? [name + "_bucket", name + "_sum", name + "_count"] : [name];
    }

    [GeneratedRegex("socketatm_[a-z_]+")]
    private static partial Regex SeriesName();
}
