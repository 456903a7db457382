using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SocketAtm.Server.Diagnostics;
using SocketAtm.Server.Operations.Access;
using SocketAtm.Server.Operations.Console;

namespace SocketAtm.Server.Operations;

/// <summary>
/// The HTTP side of the host: Kestrel on <c>Operations:Address</c>:<c>Operations:Port</c>, in this host's container,
/// started last (once the ledger is open and the terminal port bound) and stopped first. Serves <c>/healthz</c>
/// (liveness), <c>/readyz</c> (the readiness checks, JSON), <c>/metrics</c> (Prometheus text, behind
/// <see cref="OperatorAccess"/>) and the sign-in routes (<see cref="OperatorSignIn"/>); https with <c>Operations:Tls</c>.
/// </summary>
internal sealed class OperationsServer(IOptions<OperationsOptions> options, IServiceProvider services, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    public const string HealthPath = "/healthz";
    public const string ReadyPath = "/readyz";
    public const string MetricsPath = "/metrics";

    /// <summary>The tag of the checks <c>/readyz</c> runs (<c>/healthz</c> runs none: it answers while the process serves).</summary>
    public const string ReadinessTag = "ready";

    private readonly ILogger _logger = loggers.CreateLogger<OperationsServer>();
    private KestrelServer? _server;
    private OperationsHttps? _https;
    private ServiceProvider? _kestrelServices;

    /// <summary>The address actually bound, as <c>http(s)://ADDRESS:PORT</c> (useful with port 0); null before start.</summary>
    public Uri? BoundAddress { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        _https = OperationsHttps.Load(settings.Tls);
        _kestrelServices = _https is null ? null : KestrelHttpsServices.Create(loggers);
        var kestrel = new KestrelServerOptions { ApplicationServices = _kestrelServices ?? services, AddServerHeader = false };
        kestrel.Listen(new IPEndPoint(settings.GetBindAddress(), settings.Port), listen => _https?.Apply(listen));
        kestrel.Limits.MaxConcurrentConnections = settings.MaxConnections;
        kestrel.Limits.KeepAliveTimeout = settings.KeepAliveTimeout;
        kestrel.Limits.RequestHeadersTimeout = settings.RequestHeadersTimeout;
        kestrel.Limits.MaxConcurrentUpgradedConnections = 0; // No WebSockets here.
        kestrel.Limits.MaxRequestBodySize = 0; // Nothing here takes a body but the sign-in form, which raises it for itself.
        _server = new KestrelServer(Options.Create(kestrel), new SocketTransportFactory(Options.Create(new SocketTransportOptions()), loggers), loggers);
        if (_https is not null)
        {
            var certificate = _https.Certificate.Certificate;
            OperatorAccessLog.TlsOn(_logger, certificate.Subject, certificate.Thumbprint, certificate.NotAfter.ToUniversalTime(), _https.ClientAuthorities is null ? "not asked for" : "accepted as a credential from " + settings.Tls.ClientCertificateAuthorityPath);
        }
        else if (!settings.IsLoopback && settings.AllowPlaintext)
        {
            OperatorAccessLog.PlaintextOffLoopback(_logger, settings.Address);
        }

        // Not cancelled by a stop requested meanwhile (SIGTERM just after the terminal port is bound): the bind takes no
        // time, and the host then stops this server as it stops the rest, rather than failing its start.
        await _server.StartAsync(new OperationsApplication(Pipeline(CreateAccess(settings)), services), CancellationToken.None);
        BoundAddress = new Uri(_server.Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        Log.OperationsOn(_logger, BoundAddress.GetLeftPart(UriPartial.Authority));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.StopAsync(cancellationToken);
        }
    }

    public ValueTask DisposeAsync()
    {
        _server?.Dispose();
        _https?.Dispose();
        return _kestrelServices?.DisposeAsync() ?? ValueTask.CompletedTask;
    }

    private OperatorAccess CreateAccess(OperationsOptions settings)
    {
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        return new OperatorAccess(
            new OperatorToken(settings.ResolveToken()),
            _https?.ClientAuthorities,
            new OperatorSessions(settings.SessionLifetime, settings.MaxSessions, time),
            new FailedAttemptLimit(settings.MaxFailedAttempts, settings.FailedAttemptWindow, settings.MaxTrackedAddresses, time),
            new OperatorAccessMetrics(services.GetRequiredService<IMeterFactory>()),
            _logger);
    }

    private RequestDelegate Pipeline(OperatorAccess access)
    {
        var app = new ApplicationBuilder(services);

        // Open: the sign-in page and the probes. Every other route (metrics, the console) goes behind access.Guard.
        app.MapOperatorSignIn(access);
        app.UseHealthChecks(HealthPath, new HealthCheckOptions { Predicate = _ => false });
        app.UseHealthChecks(ReadyPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadinessTag),
            ResponseWriter = ReadinessReport.WriteAsync,
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        });
        app.UseOpenTelemetryPrometheusScrapingEndpoint(
            meterProvider: null,
            predicate: context => context.Request.Path == MetricsPath,
            path: null,
            configureBranchedPipeline: branch => branch.Use(access.Guard),
            optionsName: null);
        if (services.GetService<ConsoleEndpoints>() is { } console)
        {
            app.Map(ConsoleEndpoints.BasePath, branch => branch.Use(access.Guard).Run(context => console.HandleAsync(context, access.StillAdmits)));
        }

        app.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        return app.Build();
    }
}
