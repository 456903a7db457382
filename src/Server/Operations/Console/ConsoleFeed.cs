using OpenTelemetry;
using OpenTelemetry.Metrics;
using SocketAtm.Server.Sessions;
using SocketAtm.Server.Upstream;

namespace SocketAtm.Server.Operations.Console;

/// <summary>
/// One tick of the console: folds an export of the meter into the figures and, when anyone watches, builds one frame and
/// offers it to every viewer.
/// </summary>
internal sealed class ConsoleFeed(
    ConsoleOptions options, ConsoleFigures figures, ConsoleViewers viewers, TerminalPresence presence, IssuerRoutes routes, TimeProvider time)
{
    private readonly long _startedAt = time.GetUtcNow().ToUnixTimeMilliseconds();

    public void Tick(in Batch<Metric> batch)
    {
        var point = figures.Collect(batch, time.GetUtcNow());
        if (viewers.Count == 0)
        {
            return;
        }

        var state = new ConsoleState(
            _startedAt,
            figures.OpenConnections,
            presence.SignedOnCount,
            presence.Snapshot(options.TerminalsShown),
            [.. routes.Routes.Select(route => route.Status())],
            figures);
        viewers.Publish(ConsoleFrames.Frame(point, state));
    }
}
