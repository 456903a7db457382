using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SocketAtm.Server.Diagnostics;

/// <summary>Says once, as the host starts, where its traces go (<see cref="TracingLog.Exporting"/>), and its logs with Telemetry:Otlp:Logs.</summary>
internal sealed class TracingStartupLog(IOptions<OtlpOptions> options, ILogger<TracingStartupLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var otlp = options.Value;
        var protocol = otlp.IsGrpc ? OtlpOptions.Grpc : OtlpOptions.HttpProtobuf;
        TracingLog.Exporting(logger, otlp.DescribeEndpoint(), protocol, otlp.SampleRatio);
        if (otlp.Logs)
        {
            TracingLog.ExportingLogs(logger, otlp.DescribeEndpoint(), protocol);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
