using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace SocketAtm.Server.Operations.Console;

/// <summary>
/// The console's end of the host's metrics: OpenTelemetry's periodic reader hands it the "SocketAtm" meter's deltas once
/// an interval, on the reader's own thread, and it passes them to the <see cref="ConsoleFeed"/>. The terminal path only
/// records its measurements, as it does for <c>/metrics</c>.
/// </summary>
/// <remarks>
/// The meter provider, and so this exporter, is made before the host checks its settings: the feed (whose parts read
/// settings) is resolved only at the first export after the host has started, so that a bad setting is still told at
/// start with every other one, in one line each.
/// </remarks>
internal sealed class ConsoleMetricExporter(IServiceProvider services, IHostApplicationLifetime lifetime) : BaseExporter<Metric>
{
    /// <summary>How often the reader collects: the console's tick.</summary>
    public const int IntervalMilliseconds = 1000;

    private ConsoleFeed? _feed;

    public override ExportResult Export(in Batch<Metric> batch)
    {
        if (!lifetime.ApplicationStarted.IsCancellationRequested)
        {
            return ExportResult.Success;
        }

        (_feed ??= services.GetRequiredService<ConsoleFeed>()).Tick(batch);
        return ExportResult.Success;
    }
}
