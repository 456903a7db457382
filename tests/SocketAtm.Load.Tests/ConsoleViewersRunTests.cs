using SocketAtm.Load.Fleet;

namespace SocketAtm.Load.Tests;

/// <summary>
/// A short run with console viewers (<c>--console-viewers</c>): they connect to the started host's operations port,
/// found from its log, receive frames, and the scraper is answered. Speed is never asserted.
/// </summary>
public sealed class ConsoleViewersRunTests : IDisposable
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), "socketatm-load-viewers-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Console_viewers_connect_receive_frames_and_the_metrics_are_scraped_during_the_window()
    {
        var settings = new LoadSettings
        {
            Workload = Workload.Mixed,
            Fleet = new FleetSettings { Terminals = 10, Cards = 20 },
            Warmup = TimeSpan.FromSeconds(1),
            Duration = TimeSpan.FromSeconds(3),
            Ceilings = false,
            NoChart = true,
            ConsoleViewers = 3,
            OutputDirectory = _output,
        };
        using var log = new StringWriter();

        var report = await new LoadRun(settings, log).RunAsync(CancellationToken.None);

        Assert.True(report.Correctness.Holds, string.Join(Environment.NewLine, report.Correctness.Failures) + Environment.NewLine + log);
        var viewers = Assert.IsType<Viewers.ConsoleViewersResult>(report.ConsoleViewers);
        Assert.Equal(3, viewers.Asked);
        Assert.True(viewers.Connected == 3, $"{viewers.Connected} connected: {string.Join("; ", viewers.Problems)}{Environment.NewLine}{log}");
        Assert.Equal(0, viewers.Dropped);
        Assert.True(viewers.Frames > 0, "no frame received");
        Assert.True(viewers.ScrapesAnswered > 0, "no scrape answered");
        Assert.False(viewers.FellShort);
        var markdown = await File.ReadAllTextAsync(Path.Combine(_output, "results.md"));
        Assert.Contains("| console viewers asked / connected (200) | 3 / 3 |", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("VIEWERS FELL SHORT", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_viewer_refused_by_the_hosts_viewer_cap_is_reported_without_failing_the_run()
    {
        var settings = new LoadSettings
        {
            Workload = Workload.Balance,
            Fleet = new FleetSettings { Terminals = 5, Cards = 10 },
            Warmup = TimeSpan.FromSeconds(1),
            Duration = TimeSpan.FromSeconds(2),
            Ceilings = false,
            NoChart = true,
            ConsoleViewers = 3,
            HostArguments = ["--Operations:Console:MaxViewers=2"],
            OutputDirectory = _output,
        };
        using var log = new StringWriter();

        var report = await new LoadRun(settings, log).RunAsync(CancellationToken.None);

        Assert.True(report.Correctness.Holds, string.Join(Environment.NewLine, report.Correctness.Failures) + Environment.NewLine + log);
        var viewers = Assert.IsType<Viewers.ConsoleViewersResult>(report.ConsoleViewers);
        Assert.Equal((2, 1), (viewers.Connected, viewers.Refused));
        Assert.True(viewers.FellShort);
        var markdown = await File.ReadAllTextAsync(Path.Combine(_output, "results.md"));
        Assert.Contains("- VIEWERS FELL SHORT: 2 of 3 connected, 0 dropped", markdown, StringComparison.Ordinal);
        Assert.Contains("- /console/events answered 503: 1", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Console_viewers_need_a_host_the_harness_starts()
    {
        var settings = new LoadSettings { Host = "127.0.0.1", ConsoleViewers = 1 };

        Assert.StartsWith("--console-viewers needs hosts the harness starts", settings.Problem, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }
}
