using SocketAtm.CrashTest;
using Xunit.Abstractions;

namespace SocketAtm.Reliability.Tests;

/// <summary>
/// The short crash test: the host as a real process, SIGKILLed under load a few times and restarted on the same data;
/// terminals recover by themselves. The long version is the tool's default (see README, "Reliability").
/// </summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Killing_the_host_under_load_loses_no_approval_and_applies_nothing_twice()
    {
        using var log = new StringWriter();
        var report = await CrashRun.RunAsync(
            new CrashTestOptions { Rounds = 3, Terminals = 10, Cards = 4, MaxRoundLength = TimeSpan.FromSeconds(2) },
            log);
        output.WriteLine(log.ToString());

        Assert.True(report.Holds, report.ToString());
        Assert.Equal(3, report.Kills);
        Assert.True(report.Approvals > 0, "the terminals got no approval: the test proved nothing");
        Assert.True(report.ReversalsAcknowledged > 0, "no reversal was exercised");
    }
}
