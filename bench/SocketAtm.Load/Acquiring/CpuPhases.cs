using System.Globalization;
using SocketAtm.Load.Hosting;
using SocketAtm.Load.Measurement;
using SocketAtm.Load.Workloads;

namespace SocketAtm.Load.Acquiring;

/// <summary>
/// Host CPU per on-us request against per forwarded request, measured back to back after the mixed window: the
/// library terminals send plain withdrawals, first all on-us, then all not-on-us, each phase a warm-up (1 s, or half a shorter phase)
/// and a measured window of its own (closed loop); the hosts' CPU time (utime + stime from /proc) over each window divided by the
/// answers in it. The simulator runs in the harness's process, so none of its work counts as the host's.
/// </summary>
internal static class CpuPhases
{
    private static readonly TimeSpan LongestWarmup = TimeSpan.FromSeconds(1);

    public static async Task<IReadOnlyList<CpuPhaseResult>> RunAsync(
        IReadOnlyList<LoadTerminal> terminals,
        OffUsTraffic offUs,
        IReadOnlyList<StartedHost> hosts,
        TimeSpan duration,
        TimeSpan drainTimeout,
        TextWriter log)
    {
        // Raw terminals send repeats and duplicates of their own; the phases are the library's plain withdrawals.
        List<LoadTerminal> library = [.. terminals.OfType<LibraryLoadTerminal>()];
        var warmup = duration / 2 < LongestWarmup ? duration / 2 : LongestWarmup;
        var results = new List<CpuPhaseResult>();
        foreach (var traffic in (TrafficClass[])[TrafficClass.OnUs, TrafficClass.Forwarded])
        {
            await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"CPU phase: {Describe(traffic)} withdrawals only, {library.Count:N0} terminals, {warmup.TotalSeconds:F1} s warm-up, {duration.TotalSeconds:F0} s measured:"));
            var statistics = new RunStatistics();
            TimeSpan? from = null;
            TimeSpan? until = null;
            var driver = new LoadDriver(library, statistics, () => new ProcessSample(null, MachineLoad.OneMinute()), log, starting =>
            {
                if (starting)
                {
                    from = HostCpu(hosts);
                }
                else
                {
                    until = HostCpu(hosts);
                }
            });
            offUs.BeginPhase(traffic, statistics);
            try
            {
                await driver.RunAsync(warmup, duration, ratePerSecond: null, drainTimeout);
            }
            finally
            {
                offUs.EndPhase();
            }

            var latency = statistics.Latency;
            var seconds = statistics.MeasuredSeconds;
            var cpuSeconds = until - from is { } used ? used.TotalSeconds : (double?)null;
            results.Add(new CpuPhaseResult(
                Describe(traffic),
                latency.Count,
                seconds,
                seconds > 0 ? latency.Count / seconds : 0,
                latency.P50Milliseconds,
                latency.P99Milliseconds,
                cpuSeconds,
                cpuSeconds is { } cpu && latency.Count > 0 ? cpu * 1000 / latency.Count : null,
                statistics.Errors + statistics.Timeouts,
                statistics.Answers.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal)));
        }

        return results;
    }

    public static string Describe(TrafficClass traffic) => traffic == TrafficClass.OnUs ? "on-us" : "not-on-us (forwarded)";

    private static TimeSpan? HostCpu(IReadOnlyList<StartedHost> hosts)
    {
        TimeSpan total = default;
        foreach (var host in hosts)
        {
            if (MachineLoad.ProcessCpu(host.Process.Id) is not { } cpu)
            {
                return null;
            }

            total += cpu;
        }

        return total;
    }
}

/// <summary>One CPU phase: its answers, throughput and latency, and the hosts' CPU per answer in milliseconds.</summary>
internal sealed record CpuPhaseResult(
    string Traffic,
    long Answers,
    double MeasuredSeconds,
    double Throughput,
    double P50Milliseconds,
    double P99Milliseconds,
    double? HostCpuSeconds,
    double? HostCpuMillisecondsPerRequest,
    long ErrorsAndTimeouts,
    IReadOnlyDictionary<string, long> AnswersByCode);
