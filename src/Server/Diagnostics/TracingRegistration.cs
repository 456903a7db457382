using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace SocketAtm.Server.Diagnostics;

/// <summary>
/// Adds OTLP export of the host's spans (<see cref="AtmTracing"/>) when an endpoint is configured (<see cref="OtlpOptions"/>),
/// and with <see cref="OtlpOptions.Logs"/> of its log events; independent of the operations side, so that it works with
/// <c>Operations:Enabled=false</c> too. With no endpoint nothing is added: no listener on the activity source, so no span is
/// even created.
/// </summary>
internal static class TracingRegistration
{
    /// <summary>The <c>service.name</c> of the host's telemetry (the operations side's metrics use the same).</summary>
    public const string ServiceName = "socketatm";

    public const string TracesPath = "v1/traces";

    public const string LogsPath = "v1/logs";

    /// <summary>
    /// True when the log events go to OTLP as well: read before the host is composed, because Serilog is told then whether
    /// to pass its events on to the Microsoft.Extensions.Logging providers (of which OpenTelemetry's is then the only one).
    /// </summary>
    public static bool SendsLogs(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var otlp = ReadNow(configuration.GetSection(OtlpOptions.SectionName), configuration);
        return otlp.Logs && otlp.EndpointUri is not null;
    }

    public static void AddTracing(this HostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var section = configuration.GetSection(OtlpOptions.SectionName);
        builder.Services.AddOptions<OtlpOptions>()
            .Bind(section)
            .PostConfigure(options => ApplyStandardVariables(options, configuration))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<OtlpOptions>, OtlpOptionsValidator>();

        // Read now as well, to decide what to register; a value that does not bind or validate fails the start, in words,
        // before anything is exported.
        var otlp = ReadNow(section, configuration);
        if (!otlp.IsEnabled || otlp.EndpointUri is null)
        {
            return;
        }

        builder.Services.AddHostedService<TracingStartupLog>();
        var ratio = otlp.SampleRatio is >= 0 and <= 1 ? otlp.SampleRatio : 1.0;
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithTracing(tracing => tracing
                .AddSource(AtmTracing.SourceName)
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(ratio)))
                .AddOtlpExporter(exporter => Configure(exporter, otlp, TracesPath)));
        if (otlp.Logs)
        {
            // OpenTelemetry's logging provider, with the traces' resource; Serilog hands it each event its minimum levels
            // let through (ServerHost, writeToProviders), so what reaches the collector is what the sinks write. Batching
            // from the standard OTEL_BLRP_* variables; the trace and span ids from Activity.Current where one is set.
            telemetry.WithLogging(
                logging => logging.AddOtlpExporter(exporter => Configure(exporter, otlp, LogsPath)),
                ConfigureLogRecords);
        }
    }

    /// <summary>
    /// The rendered message as the record's body (the template alone says less to someone reading a collector); the
    /// event's properties are its attributes — the same values the console writes, never a PAN, PIN block, track or key.
    /// </summary>
    private static void ConfigureLogRecords(OpenTelemetryLoggerOptions options)
    {
        options.IncludeFormattedMessage = true;
    }

    /// <summary>The exporter's address and protocol; its headers (OTEL_EXPORTER_OTLP_HEADERS) and batching (OTEL_BSP_*) come from the standard variables.</summary>
    internal static void Configure(OtlpExporterOptions exporter, OtlpOptions otlp, string signalPath)
    {
        exporter.Protocol = otlp.IsGrpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
        exporter.Endpoint = otlp.SignalUri(signalPath);
    }

    /// <summary>The standard OTEL_EXPORTER_OTLP_ENDPOINT and _PROTOCOL, for what Telemetry:Otlp leaves out.</summary>
    private static void ApplyStandardVariables(OtlpOptions options, IConfiguration configuration)
    {
        if (string.IsNullOrWhiteSpace(options.Endpoint))
        {
            options.Endpoint = configuration[OtlpOptions.EndpointVariable];
        }

        if (string.IsNullOrWhiteSpace(options.Protocol))
        {
            options.Protocol = configuration[OtlpOptions.ProtocolVariable];
        }
    }

    private static OtlpOptions ReadNow(IConfigurationSection section, IConfiguration configuration)
    {
        var options = new OtlpOptions();
        try
        {
            section.Bind(options);
        }
        catch (InvalidOperationException)
        {
            // Not a number or not a boolean: the options' own binding says so at start, in one line.
        }

        ApplyStandardVariables(options, configuration);
        return options;
    }
}
