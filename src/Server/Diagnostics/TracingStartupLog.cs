using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SocketAtm.Server.Diagnostics;

/// <summary>Says once, as the host starts, where its traces go (<see cref="TracingLog.Exporting"/>).</summary>
internal sealed class TracingStartupLog(IOptions<OtlpOptions> options, ILogger<TracingStartupLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var otlp = options.Value;
        TracingLog.Exporting(logger, otlp.DescribeEndpoint(), otlp.IsGrpc ? OtlpOptions.Grpc : OtlpOptions.HttpProtobuf, otlp.SampleRatio);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
