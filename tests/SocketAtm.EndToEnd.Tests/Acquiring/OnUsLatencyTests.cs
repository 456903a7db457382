using System.Diagnostics;
using SocketAtm.IssuerSim.Faults;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Vocabulary;
using Xunit.Abstractions;

namespace SocketAtm.EndToEnd.Tests.Acquiring;

/// <summary>Measured alone: another test's load on the same two cores would show up as on-us latency.</summary>
[CollectionDefinition(nameof(AcquiringMeasuredAlone), DisableParallelization = true)]
public sealed class AcquiringMeasuredAlone;

/// <summary>
/// Issue 15's "on-us p99 unchanged while the issuer blacks out": on-us withdrawals are timed with the issuer answering, then
/// with it answering nothing while off-us terminals keep forwarding (each waits out the budget, then a reversal is owed and
/// retried) — in one run, on one host, so the ratio compares like with like.
/// </summary>
[Collection(nameof(AcquiringMeasuredAlone))]
public sealed class OnUsLatencyTests(ITestOutputHelper output)
{
    private const int WithdrawalsPerPhase = 150;

    // Long enough for several forwards to wait out the 300 ms budget in the blackout.
    private static readonly TimeSpan PhaseAtLeast = TimeSpan.FromSeconds(1.5);

    [Fact]
    public async Task On_us_p99_under_an_issuer_blackout_stays_within_three_times_its_p99_without_one()
    {
        await using var acquirer = await AcquirerHarness.StartAsync(new FaultOptions(), TimeSpan.FromMilliseconds(300));
        await using var onUs = await TestTerminal.ConnectAsync(acquirer.Host.EndPoint, "ATM00009");
        await using var offUs = await TestTerminal.ConnectAsync(acquirer.Host.EndPoint, "ATM00010");
        await MeasureAsync(onUs, offUs, 20, TimeSpan.Zero); // warm-up: JIT, the ledger's first writes

        var (healthy, healthyForwarded) = await MeasureAsync(onUs, offUs, WithdrawalsPerPhase, PhaseAtLeast);
        await acquirer.RestartIssuerAsync(new FaultOptions { DropProbability = 1 });
        var (blackout, blackoutForwarded) = await MeasureAsync(onUs, offUs, WithdrawalsPerPhase, PhaseAtLeast);

        var (healthyP99, blackoutP99) = (P99(healthy), P99(blackout));
        output.WriteLine(
            $"on-us p99 {healthyP99:F2} ms over {healthy.Count} healthy (off-us {Describe(healthyForwarded)}), "
            + $"{blackoutP99:F2} ms over {blackout.Count} in the blackout (off-us {Describe(blackoutForwarded)})");
        Assert.All(healthyForwarded.Keys.Concat(blackoutForwarded.Keys), code => Assert.True(code is ResponseCodes.Approved or ResponseCodes.IssuerUnavailable, code));
        Assert.True(blackoutForwarded.GetValueOrDefault(ResponseCodes.IssuerUnavailable) >= 3, "the off-us terminal was not forwarding through the blackout");
        Assert.True(blackoutP99 <= (3 * healthyP99) + 20, $"on-us p99 {blackoutP99:F2} ms in the blackout against {healthyP99:F2} ms without it");
    }

    /// <summary>
    /// Sequential on-us withdrawals on one terminal while the other forwards off-us withdrawals back to back until they are
    /// done: their latencies in ms, and the off-us answers by DE 39.
    /// </summary>
    private static async Task<(List<double> OnUs, Dictionary<string, int> Forwarded)> MeasureAsync(TestTerminal onUs, TestTerminal offUs, int count, TimeSpan atLeast)
    {
        using var done = new CancellationTokenSource();
        var forwarded = new Dictionary<string, int>();
        var forwarding = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                var answer = await offUs.ExchangeAsync(AcquirerHarness.OffUs(offUs, 100, TestTerminal.NextStan(), AcquirerHarness.RichCard));
                var code = answer.GetString(DataElements.ResponseCode)!;
                forwarded[code] = forwarded.GetValueOrDefault(code) + 1;
            }
        });
        var latencies = new List<double>(count);
        var phase = Stopwatch.StartNew();
        while (latencies.Count < count || phase.Elapsed < atLeast)
        {
            var started = Stopwatch.GetTimestamp();
            var answer = await onUs.ExchangeAsync(onUs.Withdrawal(100, TestTerminal.NextStan(), DemoCards.Rich, DemoCards.RichPin));
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            Assert.Equal(ResponseCodes.Approved, answer.GetString(DataElements.ResponseCode));
        }

        await done.CancelAsync();
        await forwarding;
        return (latencies, forwarded);
    }

    private static string Describe(Dictionary<string, int> codes) => string.Join(", ", codes.Select(pair => $"{pair.Value}× {pair.Key}"));

    private static double P99(List<double> latencies)
    {
        var sorted = latencies.Order().ToList();
        return sorted[(int)Math.Ceiling(0.99 * sorted.Count) - 1];
    }
}
