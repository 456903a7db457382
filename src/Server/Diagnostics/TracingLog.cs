using Microsoft.Extensions.Logging;

namespace SocketAtm.Server.Diagnostics;

/// <summary>The telemetry export's own lines (event ids 7000–7099).</summary>
internal static partial class TracingLog
{
    /// <summary>Once, at start. The endpoint without user information or query; never the OTLP headers, which may carry a key.</summary>
    [LoggerMessage(7000, LogLevel.Information, "Traces to OTLP at {Endpoint} ({Protocol}, sample ratio {SampleRatio})")]
    public static partial void Exporting(ILogger logger, string endpoint, string protocol, double sampleRatio);

    /// <summary>Once, at start, with Telemetry:Otlp:Logs; like <see cref="Exporting"/>, never the headers.</summary>
    [LoggerMessage(7001, LogLevel.Information, "Logs to OTLP at {Endpoint} ({Protocol})")]
    public static partial void ExportingLogs(ILogger logger, string endpoint, string protocol);
}
