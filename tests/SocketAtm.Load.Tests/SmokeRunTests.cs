using SocketAtm.Load.Fleet;

namespace SocketAtm.Load.Tests;

/// <summary>
/// A few seconds of the mixed workload with a few dozen terminals against a host the harness starts itself: the harness
/// works end to end and its correctness check holds. Speed is never asserted: this runs on a loaded CI machine.
/// </summary>
public sealed class SmokeRunTests : IDisposable
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), "socketatm-load-smoke-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Mixed_workload_against_a_started_host_passes_the_correctness_check()
    {
        var settings = new LoadSettings
        {
            Workload = Workload.Mixed,
            Fleet = new FleetSettings { Terminals = 30, Cards = 40 },
            Warmup = TimeSpan.FromSeconds(1),
            Duration = TimeSpan.FromSeconds(4),
            Ceilings = false,
            OutputDirectory = _output,
        };
        using var log = new StringWriter();

        var report = await new LoadRun(settings, log).RunAsync(CancellationToken.None);

        Assert.True(report.Correctness.Holds, string.Join(Environment.NewLine, report.Correctness.Failures) + Environment.NewLine + log);
        Assert.Equal(0, report.Errors);
        Assert.Equal(40, report.Correctness.CardsChecked);
        Assert.True(report.Correctness.ApprovedAmount > 0, "no withdrawal was approved");
        Assert.Contains(report.Answers.Keys, kind => kind.StartsWith("repeat 0201", StringComparison.Ordinal));
        Assert.Contains(report.Answers.Keys, kind => kind.StartsWith("duplicate 0200 94", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(_output, "results.json")));
        Assert.True(File.Exists(Path.Combine(_output, "latency.png")));
        Assert.Contains("| **correctness** | **holds** |", await File.ReadAllTextAsync(Path.Combine(_output, "results.md")), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }
}
