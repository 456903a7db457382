using OpenTelemetry;
using OpenTelemetry.Metrics;
using SocketAtm.Server.Sessions;
using SocketAtm.Server.Upstream;

namespace SocketAtm.Server.Operations.Console;

/// <summary>
/// The console's end of the host's metrics: OpenTelemetry's periodic reader hands it the "SocketAtm" meter's deltas once
/// an interval, on the reader's own thread; it folds them into the figures and, when anyone watches, builds one frame
/// and offers it to every viewer. The terminal path only records its measurements, as it does for <c>/metrics</c>.
/// </summary>
internal sealed class ConsoleMetricExporter(
    ConsoleOptions options, ConsoleFigures figures, ConsoleViewers viewers, TerminalPresence presence, IssuerRoutes routes, TimeProvider time)
    : BaseExporter<Metric>
{
    /// <summary>How often the reader collects: the console's tick.</summary>
    public const int IntervalMilliseconds = 1000;

    private readonly long _startedAt = time.GetUtcNow().ToUnixTimeMilliseconds();

    public override ExportResult Export(in Batch<Metric> batch)
    {
        var point = figures.Collect(batch, time.GetUtcNow());
        if (viewers.Count > 0)
        {
            var state = new ConsoleState(
                _startedAt,
                figures.OpenConnections,
                presence.SignedOnCount,
                presence.Snapshot(options.TerminalsShown),
                [.. routes.Routes.Select(route => route.Status())],
                figures);
            viewers.Publish(ConsoleFrames.Frame(point, state));
        }

        return ExportResult.Success;
    }
}
