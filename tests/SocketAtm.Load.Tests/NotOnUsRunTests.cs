using SocketAtm.Load.Fleet;
using SocketAtm.Load.Workloads;

namespace SocketAtm.Load.Tests;

/// <summary>
/// A short mixed load with a fifth of the withdrawals not on us: the harness runs the issuer simulator, routes the host
/// to it, and at the end the acquirer's book and the simulator's agree RRN by RRN. Speed is never asserted.
/// </summary>
public sealed class NotOnUsRunTests : IDisposable
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), "socketatm-load-offus-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_mixed_load_with_20_percent_not_on_us_is_forwarded_approved_and_both_books_agree()
    {
        var settings = new LoadSettings
        {
            Workload = Workload.Mixed,
            Fleet = new FleetSettings { Terminals = 12, Cards = 20 },
            Warmup = TimeSpan.FromSeconds(1),
            Duration = TimeSpan.FromSeconds(2),
            OffUsPercent = 20,

            // More jams, partial dispenses and give-ups than by default, so that a short run reverses forwarded withdrawals
            // upstream (0420 with reasons 17 and 68) in all three ways.
            Shares = new MixedShares { GiveUp = 0.1, Jam = 0.1, PartialDispense = 0.1 },
            CpuPhaseDuration = TimeSpan.FromSeconds(0.6),
            Ceilings = false,
            NoChart = true,
            OutputDirectory = _output,
        };
        using var log = new StringWriter();

        var report = await new LoadRun(settings, log).RunAsync(CancellationToken.None);

        Assert.True(report.Correctness.Holds, string.Join(Environment.NewLine, report.Correctness.Failures) + Environment.NewLine + log);
        Assert.Equal(0, report.Errors);
        var notOnUs = Assert.IsType<Acquiring.NotOnUsReport>(report.NotOnUs);
        Assert.True(notOnUs.Forwarded.AnswersByKindAndCode.GetValueOrDefault("withdrawal not on us 00") > 0, "no forwarded withdrawal was approved");
        Assert.True(notOnUs.Forwarded.Answers > 0 && notOnUs.OnUs.Answers > 0, "a traffic class has no measured answers");
        Assert.DoesNotContain(notOnUs.OnUs.AnswersByKindAndCode.Keys, kind => kind.Contains("not on us", StringComparison.Ordinal));
        Assert.True(notOnUs.Books.Holds, string.Join(Environment.NewLine, notOnUs.Books.Failures));
        Assert.True(notOnUs.Books.AcquirerNet > 0, "the books agree on nothing");
        Assert.Equal(notOnUs.Books.AcquirerNet, notOnUs.Books.IssuerNet);
        Assert.Equal(0, notOnUs.Books.OwedReversals);
        Assert.True(notOnUs.Books.IssuerReversals > 0, "no forwarded withdrawal was reversed upstream");
        Assert.Contains(notOnUs.Forwarded.AnswersByKindAndCode.Keys, kind => kind.StartsWith("reversal (", StringComparison.Ordinal));
        Assert.Collection(
            notOnUs.CpuPhases,
            onUs => Assert.Equal(("on-us", 0L), (onUs.Traffic, onUs.ErrorsAndTimeouts)),
            forwarded => Assert.Equal(("not-on-us (forwarded)", 0L), (forwarded.Traffic, forwarded.ErrorsAndTimeouts)));
        Assert.All(notOnUs.CpuPhases, phase =>
        {
            Assert.True(phase.Answers > 0 && phase.HostCpuMillisecondsPerRequest > 0, $"{phase.Traffic}: no CPU per request");
            Assert.NotNull(phase.HostIdleCores);
        });
        var markdown = await File.ReadAllTextAsync(Path.Combine(_output, "results.md"));
        Assert.Contains("## On-us and not-on-us (20% of the withdrawals forwarded", markdown, StringComparison.Ordinal);
        Assert.Contains("Books: **agree**", markdown, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }
}
