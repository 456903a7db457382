using SocketAtm.Load.Fleet;
using SocketAtm.Server.Hosting;
using SocketAtm.Testing;

namespace SocketAtm.Load.Tests;

/// <summary>
/// A few seconds of the mixed workload with a few dozen terminals against hosts the harness starts itself — one on
/// LiteDB, or two on a throw-away PostgreSQL: the harness works end to end and its correctness check holds. Speed is
/// never asserted: this runs on a loaded CI machine.
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

    [Fact]
    public async Task Mixed_workload_of_MAC_terminals_signs_on_with_MACed_0800s_and_passes_the_correctness_check()
    {
        var settings = new LoadSettings
        {
            Workload = Workload.Mixed,
            Fleet = new FleetSettings { Terminals = 10, Cards = 20, UseMac = true },
            Warmup = TimeSpan.FromSeconds(1),
            Duration = TimeSpan.FromSeconds(3),
            Ceilings = false,
            NoChart = true,
            OutputDirectory = _output,
        };
        using var log = new StringWriter();

        var report = await new LoadRun(settings, log).RunAsync(CancellationToken.None);

        Assert.True(report.Correctness.Holds, string.Join(Environment.NewLine, report.Correctness.Failures) + Environment.NewLine + log);
        Assert.Equal(0, report.Errors);
        Assert.True(report.Correctness.ApprovedAmount > 0, "no withdrawal was approved");
    }

    [PostgreSqlFact]
    public async Task Mixed_workload_against_two_hosts_on_one_PostgreSQL_database_passes_the_correctness_check()
    {
        var settings = new LoadSettings
        {
            Workload = Workload.Mixed,
            Fleet = new FleetSettings { Terminals = 30, Cards = 40 },
            Storage = StorageProvider.PostgreSql,
            Hosts = 2,
            Warmup = TimeSpan.FromSeconds(1),
            Duration = TimeSpan.FromSeconds(4),
            Ceilings = false,
            NoChart = true,
            OutputDirectory = _output,
        };
        using var log = new StringWriter();

        var report = await new LoadRun(settings, log).RunAsync(CancellationToken.None);

        Assert.True(report.Correctness.Holds, string.Join(Environment.NewLine, report.Correctness.Failures) + Environment.NewLine + log);
        Assert.Equal(0, report.Errors);
        Assert.StartsWith("the PostgreSQL ledger", report.Correctness.Method, StringComparison.Ordinal);
        Assert.Equal(40, report.Correctness.CardsChecked);
        Assert.True(report.Correctness.ApprovedAmount > 0, "no withdrawal was approved");
        Assert.Contains(report.Answers.Keys, kind => kind.StartsWith("repeat 0201", StringComparison.Ordinal));
        Assert.Contains(report.Answers.Keys, kind => kind.StartsWith("duplicate 0200 94", StringComparison.Ordinal));
        Assert.Collection(
            report.Hosts,
            first => Assert.Equal(1, first.Number),
            second => Assert.Equal(2, second.Number));
        Assert.All(report.Hosts, host => Assert.True(host.CpuCores > 0, $"host {host.Number} shows no CPU"));
        Assert.True(report.DatabaseCpuCores > 0, "the database server shows no CPU");
        var markdown = await File.ReadAllTextAsync(Path.Combine(_output, "results.md"));
        Assert.Contains("PostgreSQL, a throw-away server started by the harness", markdown, StringComparison.Ordinal);
        Assert.Contains(", 2 hosts |", markdown, StringComparison.Ordinal);
        Assert.Contains("| host 2 (port ", markdown, StringComparison.Ordinal);
        Assert.Contains("| database server CPU | ", markdown, StringComparison.Ordinal);
        Assert.Contains("| **correctness** | **holds** |", markdown, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }
}
