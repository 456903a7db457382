using System.Globalization;
using System.Text;
using SocketAtm.Load.Acquiring;

namespace SocketAtm.Load.Reporting;

/// <summary>The on-us and not-on-us part of results.md: each class's figures, the CPU phases and the books comparison.</summary>
internal static class NotOnUsMarkdown
{
    public static void Append(StringBuilder text, NotOnUsReport report)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(report);
        void Line(FormattableString line) => text.AppendLine(line.ToString(CultureInfo.InvariantCulture));
        Line($"");
        Line($"## On-us and not-on-us ({report.SharePercent:0.#}% of the withdrawals forwarded over route {report.Route})");
        Line($"");
        Line($"| mixed window | answers measured | throughput | p50 | p99 | answers by kind and code (warm-up included) |");
        Line($"|---|---:|---:|---:|---:|---|");
        Row("on-us", report.OnUs);
        Row("forwarded", report.Forwarded);
        if (report.CpuPhases.Count > 0)
        {
            Line($"");
            Line($"| CPU phase (withdrawals only, {report.CpuPhaseMode}) | answers | throughput | p50 | p99 | host CPU | host CPU per request | the same above idle | errors and timeouts |");
            Line($"|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var phase in report.CpuPhases)
            {
                Line($"| {phase.Traffic} | {phase.Answers:N0} | {phase.Throughput:N0}/s | {phase.P50Milliseconds:F2} ms | {phase.P99Milliseconds:F2} ms | {Seconds(phase.HostCpuSeconds)} | {PerRequest(phase.HostCpuMillisecondsPerRequest)} | {PerRequest(phase.HostCpuMillisecondsPerRequestAboveIdle)} | {phase.ErrorsAndTimeouts:N0} |");
            }

            Line($"");
            Line($"Hosts idle (terminals connected, nothing sent): {Cores(report.CpuPhases[0].HostIdleCores)}.");
            if (report.CpuPhases is [{ HostCpuMillisecondsPerRequest: { } onUs }, { HostCpuMillisecondsPerRequest: { } forwarded }] && onUs > 0)
            {
                Line($"Host CPU per forwarded request / per on-us request: **{forwarded / onUs:F2}×**{AboveIdle(report.CpuPhases)}.");
            }
        }

        var books = report.Books;
        Line($"");
        Line($"Books: **{(books.Holds ? "agree" : "DISAGREE")}** — {books.RrnsCompared:N0} RRNs compared, {books.Mismatches:N0} differ; net {books.AcquirerNet / 100.0:N2} at the acquirer, {books.IssuerNet / 100.0:N2} at the issuer, {books.TerminalsNet / 100.0:N2} as the terminals saw it; {books.IssuerReversals:N0} RRNs reversed at the issuer, {books.OwedReversals:N0} reversals still owed ({(report.Drained ? "the issuer's book came to rest" : "the issuer's book was still changing at the end of the drain wait")}).");

        void Row(string name, TrafficFigures figures) => Line(
            $"| {name} | {figures.Answers:N0} | {figures.Throughput:N0}/s | {figures.P50Milliseconds:F2} ms | {figures.P99Milliseconds:F2} ms | {string.Join(", ", figures.AnswersByKindAndCode.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => string.Create(CultureInfo.InvariantCulture, $"{pair.Key}: {pair.Value:N0}")))} |");
    }

    private static string AboveIdle(IReadOnlyList<CpuPhaseResult> phases) =>
        phases is [{ HostCpuMillisecondsPerRequestAboveIdle: { } onUs }, { HostCpuMillisecondsPerRequestAboveIdle: { } forwarded }] && onUs > 0
            ? string.Create(CultureInfo.InvariantCulture, $"; above idle **{forwarded / onUs:F2}×**")
            : string.Empty;

    private static string Cores(double? cores) => cores is { } value ? value.ToString("F2", CultureInfo.InvariantCulture) + " cores" : "not measured";

    private static string Seconds(double? seconds) => seconds is { } value ? value.ToString("F2", CultureInfo.InvariantCulture) + " s" : "–";

    private static string PerRequest(double? milliseconds) => milliseconds is { } value ? value.ToString("F3", CultureInfo.InvariantCulture) + " ms" : "–";
}
