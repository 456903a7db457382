using System.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using SocketAtm.Server.Operations.Console;

namespace SocketAtm.Server.Tests.Operations.Console;

/// <summary>
/// What the console makes of the host's instruments, read as the host reads them: an OpenTelemetry reader with delta
/// temporality. A meter of the test's own (the figures go by instrument name), so that no other test's host counts here.
/// </summary>
public sealed class ConsoleFiguresTests : IDisposable
{
    private readonly Meter _meter = new("SocketAtm.Tests.Console." + Guid.NewGuid().ToString("N"));
    private readonly ConsoleFigures _figures = new(new ConsoleOptions { HistorySeconds = 10 });
    private readonly Capture _capture;
    private readonly MeterProvider _provider;
    private DateTimeOffset _now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    public ConsoleFiguresTests()
    {
        _capture = new Capture(this);
        _provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(_meter.Name)
            .AddReader(new BaseExportingMetricReader(_capture) { TemporalityPreference = MetricReaderTemporalityPreference.Delta })
            .Build();
    }

    private ConsolePoint Collect()
    {
        _now = _now.AddSeconds(1);
        _provider.ForceFlush();
        return _capture.Last!;
    }

    [Fact]
    public void Transactions_are_counted_per_interval_by_response_code_and_network_management_apart()
    {
        var messages = _meter.CreateCounter<long>("socketatm.messages");
        messages.Add(3, new("mti", 200), new("response_code", "00"));
        messages.Add(1, new("mti", 200), new("response_code", "51"));
        messages.Add(2, new("mti", 800), new("response_code", "00"));

        var first = Collect();
        Assert.Equal(3, first.Codes["00"]);
        Assert.Equal(1, first.Codes["51"]);
        Assert.Equal(2, first.NetworkManagement);
        Assert.Equal(4, first.TransactionsPerSecond, precision: 6);

        messages.Add(1, new("mti", 100), new("response_code", "55"));
        var second = Collect();
        Assert.Equal(1, second.Transactions);
        Assert.False(second.Codes.ContainsKey("00"));

        var declines = _figures.Declines().ToDictionary(decline => decline.Code);
        Assert.Equal(1, declines["51"].Count);
        Assert.Equal(1, declines["55"].Count);
        Assert.False(declines.ContainsKey("00"));
    }

    [Fact]
    public void Group_commits_give_the_interval_s_batches_and_commit_time()
    {
        var batches = _meter.CreateHistogram<int>("socketatm.ledger.batch.size");
        var commits = _meter.CreateHistogram<double>("socketatm.ledger.commit.duration");
        batches.Record(4);
        batches.Record(8);
        commits.Record(2.0);
        commits.Record(6.0);

        var point = Collect();
        Assert.Equal(2, point.Commits);
        Assert.Equal(12, point.BatchedRequests);
        Assert.Equal(8, point.BatchMax);
        Assert.Equal(8.0, point.CommitMilliseconds, precision: 6);
        Assert.Equal(6.0, point.CommitMaxMilliseconds, precision: 6);
        Assert.Equal(0, Collect().Commits);
    }

    [Fact]
    public void Open_connections_are_the_running_total_and_security_events_are_kept_by_reason()
    {
        var open = _meter.CreateUpDownCounter<long>("socketatm.connections.open");
        var security = _meter.CreateCounter<long>("socketatm.security.events");
        open.Add(3);
        security.Add(2, new KeyValuePair<string, object?>("reason", "mac"));
        Collect();
        open.Add(-1);
        security.Add(1, new KeyValuePair<string, object?>("reason", "mac"));
        Collect();

        Assert.Equal(2, _figures.OpenConnections);
        var mac = Assert.Single(_figures.SecurityByReason());
        Assert.Equal(("mac", 3L), (mac.Reason, mac.Count));
        Assert.Equal([1L, 2L], _figures.RecentSecurity().Select(seen => seen.Count));
    }

    [Fact]
    public void History_keeps_the_last_HistorySeconds_points()
    {
        for (var interval = 0; interval < 15; interval++)
        {
            Collect();
        }

        var history = _figures.History();
        Assert.Equal(10, history.Length);
        Assert.Equal(_now.ToUnixTimeMilliseconds(), history[^1].At);
    }

    public void Dispose()
    {
        _provider.Dispose();
        _meter.Dispose();
    }

    private sealed class Capture(ConsoleFiguresTests test) : BaseExporter<Metric>
    {
        public ConsolePoint? Last { get; private set; }

        public override ExportResult Export(in Batch<Metric> batch)
        {
            Last = test._figures.Collect(batch, test._now);
            return ExportResult.Success;
        }
    }
}
