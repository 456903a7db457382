using SocketAtm.ChaosTest;
using Xunit.Abstractions;

namespace SocketAtm.Reliability.Tests;

/// <summary>
/// The short chaos test (issue 16): one host on LiteDB, on-us and not-on-us withdrawals, stand-in on, the issuer simulator
/// blacked out long enough to open the breaker (and so to stand in), one fault phase (drops, late answers, duplicates, reorders, resets) ending in one
/// SIGKILL; then store-and-forward drains and checks 1–4 must hold exactly. Check 5 (on-us p99 during the blackout within
/// 10 % of before) is reported, not asserted: a shared 2-core CI machine's p99 over a few seconds moves by more than that
/// with no fault at all, and this test must never be flaky. The long version, which asserts it, is the tool's default
/// (see README, "Chaos proof").
/// </summary>
public sealed class ChaosTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Issuer_faults_a_blackout_and_a_kill_leave_both_books_equal_per_RRN_and_nothing_owed()
    {
        using var log = new StringWriter();
        var report = await ChaosRun.RunAsync(
            new ChaosOptions
            {
                Seed = 16,
                Terminals = 8,
                Cards = 3,
                Kills = 1,
                MaxPhaseLength = TimeSpan.FromSeconds(4),
                BaselineLength = TimeSpan.FromSeconds(3),
                BlackoutLength = TimeSpan.FromSeconds(5),
                AssertLatency = false,
                StandIn = true,
            },
            log);
        output.WriteLine(log.ToString());

        Assert.True(report.Holds, report.ToString());
        Assert.Equal(1, report.Kills);
        Assert.True(report.BreakerOpens > 0, "the blackout did not open the breaker");
        Assert.True(report.NotOnUsApprovals > 0, "no not-on-us withdrawal was approved: the books held nothing to compare");
        Assert.True(report.IssuerReversals > 0, "the issuer took no reversal: neither a give-up nor a shortfall was exercised");
        Assert.True(report.StandIns > 0, "nothing was stood in while the breaker was open: check 3 had nothing to check");
        Assert.Contains("reported, not asserted", report.Latency, StringComparison.Ordinal);
    }
}
