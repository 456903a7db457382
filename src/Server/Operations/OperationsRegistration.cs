using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using SocketAtm.Server.Diagnostics;
using SocketAtm.Server.Operations.Console;

namespace SocketAtm.Server.Operations;

/// <summary>Adds the operations side to the host: its settings, the readiness checks, OpenTelemetry's metrics and the HTTP server.</summary>
internal static class OperationsRegistration
{
    /// <summary>The <c>service_name</c> of the host's telemetry.</summary>
    public const string ServiceName = "socketatm";

    /// <summary>
    /// Call after every other hosted service: the HTTP side starts once the host serves terminals and stops before it
    /// drains. With <c>Operations:Enabled=false</c> nothing is added, so no listener collects the host's metrics either.
    /// </summary>
    public static void AddOperations(this HostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(OperationsOptions.SectionName);
        builder.Services.AddOptions<OperationsOptions>()
            .Bind(section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<OperationsOptions>>(new OperationsOptionsValidator(builder.Configuration));
        if (!section.GetValue(nameof(OperationsOptions.Enabled), defaultValue: true))
        {
            return;
        }

        builder.Services.AddHealthChecks()
            .AddCheck<LedgerReadyCheck>(LedgerReadyCheck.Name, tags: [OperationsServer.ReadinessTag])
            .AddCheck<TerminalListenerCheck>(TerminalListenerCheck.Name, tags: [OperationsServer.ReadinessTag])
            .AddCheck<RouteLinksCheck>(RouteLinksCheck.Name, tags: [OperationsServer.ReadinessTag]);

        var console = builder.Configuration.GetSection(ConsoleOptions.SectionName);
        builder.Services.AddOptions<ConsoleOptions>()
            .Bind(console)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var consoleEnabled = console.GetValue(nameof(ConsoleOptions.Enabled), defaultValue: true);

        // OpenTelemetry rather than prometheus-net: the host's instruments are System.Diagnostics.Metrics already, and
        // the same provider feeds the console (a reader of its own) and can export OTLP without a second metrics library.
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(AtmMetrics.MeterName)
                    .AddRuntimeInstrumentation()
                    .AddPrometheusExporter();
                if (consoleEnabled)
                {
                    metrics.AddReader(services => new PeriodicExportingMetricReader(
                        services.GetRequiredService<ConsoleMetricExporter>(), ConsoleMetricExporter.IntervalMilliseconds)
                    {
                        TemporalityPreference = MetricReaderTemporalityPreference.Delta,
                    });
                }
            });
        if (consoleEnabled)
        {
            builder.Services.AddSingleton(services => services.GetRequiredService<IOptions<ConsoleOptions>>().Value);
            builder.Services.AddSingleton<ConsoleFigures>();
            builder.Services.AddSingleton<ConsoleViewers>();
            builder.Services.AddSingleton<ConsoleAssets>();
            builder.Services.AddSingleton<ConsoleEndpoints>();
            builder.Services.AddSingleton<ConsoleFeed>();
            builder.Services.AddSingleton<ConsoleMetricExporter>();
        }

        builder.Services.AddSingleton<OperationsServer>();
        builder.Services.AddHostedService(services => services.GetRequiredService<OperationsServer>());
    }
}
