using System.Globalization;
using System.Text;
using System.Text.Json;
using SocketAtm.Server.Hosting;

namespace SocketAtm.Load.Reporting;

/// <summary>Writes a run's results.json (everything), results.md (for people) and latency.png into its results directory.</summary>
internal static class ReportWriter
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static async Task WriteAsync(string directory, LoadReport report, bool chart = true)
    {
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "results.json"), JsonSerializer.Serialize(report, Json));
        await File.WriteAllTextAsync(Path.Combine(directory, "results.md"), Markdown(report));
        if (chart)
        {
            ChartWriter.Write(Path.Combine(directory, "latency.png"), report);
        }
    }

    public static string Markdown(LoadReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        void Line(FormattableString line) => text.AppendLine(line.ToString(CultureInfo.InvariantCulture));
        var latency = report.Latency;
        Line($"# Load run: {report.Workload}, {report.Mode}, {report.Terminals:N0} terminals");
        Line($"");
        Line($"`{report.Command}`");
        Line($"");
        Line($"{report.StartedAt:yyyy-MM-dd HH:mm} UTC on {report.Machine}; load average {Load(report.LoadAverageAtStart)} at the start, {Load(report.LoadAverageAtEnd)} at the end.");
        Line($"");
        Line($"| measure | value |");
        Line($"|---|---:|");
        Line($"| connections | {report.Connections:N0} |");
        Line($"| storage | {report.Storage}{(report.Hosts.Count > 0 ? ", " + Hosts(report.Hosts.Count) : string.Empty)} |");
        Line($"| warm-up, measured | {report.WarmupSeconds:F0} s, {report.MeasuredSeconds:F1} s |");
        Line($"| throughput | {report.Throughput:N0} answers/s |");
        Line($"| latency p50 / p90 / p99 / p99.9 / max | {latency.P50Milliseconds:F2} / {latency.P90Milliseconds:F2} / {latency.P99Milliseconds:F2} / {latency.P999Milliseconds:F2} / {latency.MaxMilliseconds:F2} ms |");
        Line($"| answers measured | {latency.Count:N0} |");
        Line($"| timeouts | {report.Timeouts:N0} |");
        Line($"| errors | {report.Errors:N0} |");
        if (report.Hosts.Count > 1)
        {
            Line($"| hosts' RSS at the end / peak (sum of {report.Hosts.Count}) | {Megabytes(report.HostResidentBytes)} / {Megabytes(report.HostPeakResidentBytes)} |");
            Line($"| hosts' CPU (sum of {report.Hosts.Count}), harness CPU | {Cores(report.HostCpuCores)}, {Cores(report.HarnessCpuCores)} |");
            foreach (var host in report.Hosts)
            {
                Line($"| host {host.Number} (port {host.Port}): RSS at the end / peak, CPU | {Megabytes(host.ResidentBytes)} / {Megabytes(host.PeakResidentBytes)}, {Cores(host.CpuCores)} |");
            }
        }
        else
        {
            Line($"| host RSS at the end / peak | {Megabytes(report.HostResidentBytes)} / {Megabytes(report.HostPeakResidentBytes)} |");
            Line($"| host CPU, harness CPU | {Cores(report.HostCpuCores)}, {Cores(report.HarnessCpuCores)} |");
        }

        if (report.StorageProvider == nameof(StorageProvider.PostgreSql))
        {
            Line($"| database server CPU | {(report.DatabaseCpuCores is { } database ? Cores(database) : "not measured (a database the harness did not start)")} |");
        }
        if (report.EchoCeiling is { } echo)
        {
            Line($"| bare echo ceiling ({echo.Connections:N0} connections) | {echo.Throughput:N0} echoes/s, p99 {echo.Latency.P99Milliseconds:F2} ms, server CPU {Cores(echo.ServerCpuCores)} |");
            Line($"| **host echo / bare echo** | **{echo.HostRatio:P0}** |");
        }

        if (report.StorageCeiling is { } storage)
        {
            Line($"| storage ceiling at batch {storage.BatchSize} (the run's mean) | {storage.WithdrawalsPerSecond:N0} withdrawals/s |");
            Line($"| storage ceiling at batch {storage.MaxBatchSize} (the host's largest) | {storage.WithdrawalsPerSecondAtMaxBatch:N0} withdrawals/s |");
            Line($"| host durable requests/s (journal) | {storage.HostDurableRequestsPerSecond:N0} |");
            Line($"| **host / storage ceiling** | **{storage.HostRatio:P0}** |");
        }

        if (report.StorageCeilingSkipped is { } skipped)
        {
            Line($"| storage ceiling | n/a: {skipped} |");
        }

        var verdict = report.Correctness;
        Line($"| **correctness** | **{(verdict.Holds ? "holds" : "FAILED")}** |");
        Line($"");
        Line($"Correctness, by {verdict.Method}: {verdict.CardsChecked:N0} cards, {verdict.JournalRows:N0} journal rows, {verdict.KeysChecked:N0} request keys; approved {verdict.ApprovedAmount / 100.0:N2}, reversed {verdict.ReversedAmount / 100.0:N2}.");
        if (verdict.Batches is { } batches)
        {
            Line($"Group commits in the measured window (from the journal): {batches.Batches:N0} batches, mean {batches.Mean:F1}, per request {batches.RequestWeightedMean:F1}, largest {batches.Max}.");
        }

        foreach (var failure in verdict.Failures)
        {
            Line($"- FAILURE: {failure}");
        }

        if (report.NotOnUs is { } notOnUs)
        {
            NotOnUsMarkdown.Append(text, notOnUs);
        }

        if (report.ConsoleViewers is { } viewers)
        {
            ConsoleViewersMarkdown.Append(text, viewers);
        }

        Line($"");
        Line($"| answers by kind and code | count |");
        Line($"|---|---:|");
        foreach (var (kind, count) in report.Answers.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            Line($"| {kind} | {count:N0} |");
        }

        foreach (var (what, count) in report.Events.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            Line($"| {what} | {count:N0} |");
        }

        if (report.ErrorReasons.Count > 0)
        {
            Line($"");
            Line($"| timeouts and errors | count |");
            Line($"|---|---:|");
            foreach (var (reason, count) in report.ErrorReasons.OrderByDescending(pair => pair.Value).Take(20))
            {
                Line($"| {reason} | {count:N0} |");
            }
        }

        Line($"");
        Line($"![latency](latency.png)");
        return text.ToString();
    }

    private static string Hosts(int count) => count == 1 ? "1 host" : count.ToString(CultureInfo.InvariantCulture) + " hosts";

    private static string Load(double? load) => load?.ToString("F2", CultureInfo.InvariantCulture) ?? "unknown";

    private static string Megabytes(long? bytes) => bytes is { } value ? (value / 1048576.0).ToString("F0", CultureInfo.InvariantCulture) + " MB" : "–";

    private static string Cores(double? cores) => cores is { } value ? value.ToString("F2", CultureInfo.InvariantCulture) + " cores" : "–";
}
