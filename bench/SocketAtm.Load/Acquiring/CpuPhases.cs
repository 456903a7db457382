using System.Diagnostics;
using System.Globalization;
using SocketAtm.Load.Hosting;
using SocketAtm.Load.Measurement;
using SocketAtm.Load.Workloads;

namespace SocketAtm.Load.Acquiring;

/// <summary>
/// Host CPU per on-us request against per forwarded request, measured back to back after the mixed window: the
/// library terminals send plain withdrawals, first all on-us, then all not-on-us, each phase a warm-up (1 s, or half a
/// shorter phase) and a measured window of its own, in closed loops or in open loops at one rate for both
/// (<c>--cpu-phase-rate</c>: the same rate means the same group-commit batching, which CPU per request depends on); the
/// hosts' CPU time (utime + stime from /proc) over each window divided by the answers in it; and once more less the
/// hosts' CPU while idle (measured first, terminals connected), which at a low rate is most of it. The simulator runs in the harness's process, so none of its work counts as the host's.
/// </summary>
internal static class CpuPhases
{
    private static readonly TimeSpan LongestWarmup = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(3);

    public static async Task<IReadOnlyList<CpuPhaseResult>> RunAsync(
        IReadOnlyList<LoadTerminal> terminals,
        OffUsTraffic offUs,
        IReadOnlyList<StartedHost> hosts,
        TimeSpan duration,
        double? rate,
        TimeSpan drainTimeout,
        TextWriter log)
    {
        // Raw terminals send repeats and duplicates of their own; the phases are the library's plain withdrawals.
        List<LoadTerminal> library = [.. terminals.OfType<LibraryLoadTerminal>()];
        var warmup = duration / 2 < LongestWarmup ? duration / 2 : LongestWarmup;
        var idleCores = await IdleCoresAsync(hosts, duration < IdleWindow ? duration : IdleWindow, log);
        var results = new List<CpuPhaseResult>();
        foreach (var traffic in (TrafficClass[])[TrafficClass.OnUs, TrafficClass.Forwarded])
        {
            await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"CPU phase: {Describe(traffic)} withdrawals only, {library.Count:N0} terminals, {warmup.TotalSeconds:F1} s warm-up, {duration.TotalSeconds:F0} s measured, {(rate is { } perSecond ? $"open loop at {perSecond:N0}/s" : "closed loop")}:"));
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
                await driver.RunAsync(warmup, duration, rate, drainTimeout);
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
                cpuSeconds is { } total && idleCores is { } idle && latency.Count > 0 ? (total - (idle * seconds)) * 1000 / latency.Count : null,
                idleCores,
                statistics.Errors + statistics.Timeouts,
                statistics.Answers.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal)));
        }

        return results;
    }

    /// <summary>
    /// The hosts' CPU per second with every terminal connected and nothing sent: what a phase's CPU includes whatever it
    /// does (timers, the writer's and the links' idle loops, the runtime), so that the CPU the requests themselves cost
    /// can be told from it.
    /// </summary>
    private static async Task<double?> IdleCoresAsync(IReadOnlyList<StartedHost> hosts, TimeSpan window, TextWriter log)
    {
        await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"CPU phase: idle, {window.TotalSeconds:F0} s."));
        var started = Stopwatch.GetTimestamp();
        var from = HostCpu(hosts);
        await Task.Delay(window);
        var until = HostCpu(hosts);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return until - from is { } used && seconds > 0 ? used.TotalSeconds / seconds : null;
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

/// <summary>
/// One CPU phase: its answers, throughput and latency, and the hosts' CPU per answer in milliseconds — all of it, and
/// what is left after the hosts' idle CPU (<see cref="HostIdleCores"/>, measured before the phases) over the window.
/// </summary>
internal sealed record CpuPhaseResult(
    string Traffic,
    long Answers,
    double MeasuredSeconds,
    double Throughput,
    double P50Milliseconds,
    double P99Milliseconds,
    double? HostCpuSeconds,
    double? HostCpuMillisecondsPerRequest,
    double? HostCpuMillisecondsPerRequestAboveIdle,
    double? HostIdleCores,
    long ErrorsAndTimeouts,
    IReadOnlyDictionary<string, long> AnswersByCode);
