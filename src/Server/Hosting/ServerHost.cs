using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serilog;
using SocketAtm.Server.Acquiring;
using SocketAtm.Server.Diagnostics;
using SocketAtm.Server.Handlers;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Acquiring;
using SocketAtm.Server.Operations;
using SocketAtm.Server.Routing;
using SocketAtm.Server.Security;
using SocketAtm.Server.Sessions;
using SocketAtm.Server.Transport;
using SocketAtm.Server.Upstream;

namespace SocketAtm.Server.Hosting;

/// <summary>Composes the host: configuration sources, Serilog, options with validation, the ledger, the session pipeline and the listener.</summary>
internal static class ServerHost
{
    /// <summary>Environment variables with this prefix are settings: <c>SOCKETATM_Listener__Port=9000</c>.</summary>
    public const string EnvironmentPrefix = "SOCKETATM_";

    public static IHost Build(string[] args, Action<HostApplicationBuilder>? customize = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            DisableDefaults = false,
        });

        // Under systemd (Type=notify, deploy/socketatm.service) the unit becomes active only once the host listens, and
        // SIGTERM is its graceful stop; elsewhere this does nothing.
        builder.Services.AddSystemd();

        // Later sources win: appsettings.json < SOCKETATM_ environment variables < command line.
        builder.Configuration.AddEnvironmentVariables(EnvironmentPrefix);
        builder.Configuration.AddCommandLine(args, CommandLineSwitches.Mappings);

        // Serilog writes the console and the files; the default Microsoft.Extensions.Logging providers (console, debug,
        // event source) would only duplicate it. The one provider left is OpenTelemetry's, with Telemetry:Otlp:Logs: then
        // Serilog passes on to it (writeToProviders) each event its minimum levels let through.
        builder.Logging.ClearProviders();

        // Each host owns its logger (preserveStaticLogger): hosts started side by side, as in tests, never close each
        // other's sinks through the static Log.Logger.
        builder.Services.AddSerilog(
            (services, logger) => logger
                .ReadFrom.Configuration(builder.Configuration)
                .ReadFrom.Services(services)
                .Enrich.FromLogContext()
                .Filter.ByExcluding(IsDescribedStartupFailure),
            preserveStaticLogger: true,
            writeToProviders: TracingRegistration.SendsLogs(builder.Configuration));

        builder.Services.AddOptions<ListenerOptions>()
            .Bind(builder.Configuration.GetSection(ListenerOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<TlsOptions>()
            .Bind(builder.Configuration.GetSection(TlsOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TlsOptions>, PlaintextOffLoopbackCheck>();

        builder.Services.AddOptions<TransmissionWindowOptions>()
            .Bind(builder.Configuration.GetSection(TransmissionWindowOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddOptions<Track2Options>()
            .Bind(builder.Configuration.GetSection(Track2Options.SectionName))
            .ValidateOnStart();

        builder.Services.AddOptions<TerminalAuthenticationOptions>()
            .Bind(builder.Configuration.GetSection(TerminalAuthenticationOptions.SectionName))
            .ValidateOnStart();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<AtmMetrics>();
        builder.Services.AddOptions<LedgerOptions>()
            .Bind(builder.Configuration.GetSection(LedgerOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate<IOptions<TransmissionWindowOptions>>(
                (ledger, transmission) => ledger.RepeatRetention > 2 * transmission.Value.TransmissionTimeWindow,
                "Ledger:RepeatRetention must be more than twice Security:TransmissionTimeWindow: a repeat whose stored answer was pruned must be too old to be decided again.")
            .Validate(
                _ => !ValuesInJsonFiles(builder.Configuration, KeyEncryptionKeySetting).Any(),
                "Ledger:KeyEncryptionKey must not be written in appsettings.json: give it through the environment (SOCKETATM_Ledger__KeyEncryptionKey) or a file (Ledger:KeyEncryptionKeyFile).")
            .PostConfigure<IOptions<ListenerOptions>>((ledger, listener) => StartupSafety.LimitDemoSeeding(ledger, listener.Value))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<LedgerOptions>, KeyEncryptionKeyFileCheck>();
        builder.Services.AddSingleton<StartupSafety>();
        builder.Services.AddOptions<StorageOptions>()
            .Bind(builder.Configuration.GetSection(StorageOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(
                _ => !ValuesInJsonFiles(builder.Configuration, ConnectionStringSetting).Any(HasPassword),
                "Storage:ConnectionString in appsettings.json holds a password: give the connection string through the environment (SOCKETATM_Storage__ConnectionString), or keep the password in a passfile (Passfile=…).")
            .ValidateOnStart();
        builder.Services.AddSingleton<LedgerStartup>();
        builder.Services.AddSingleton<ILedger>(services => services.GetRequiredService<LedgerStartup>().Ledger);
        builder.Services.AddSingleton<ILedgerAdmin>(services => services.GetRequiredService<LedgerStartup>().Admin);

        builder.Services.AddOptions<KeyExchangeOptions>()
            .Bind(builder.Configuration.GetSection(KeyExchangeOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<ViolationThrottleOptions>()
            .Bind(builder.Configuration.GetSection(ViolationThrottleOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(services => new ThrottledViolations(
            services.GetRequiredService<IOptions<ViolationThrottleOptions>>().Value,
            services.GetRequiredService<ILedger>(),
            services.GetRequiredService<AtmMetrics>(),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<ThrottledViolations>>()));
        builder.Services.AddSingleton<PinVerifier>();
        AddRouting(builder);
        builder.Services.AddSingleton(services => new TerminalPresence(services.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton(ComposeSessions);

        // Hosted services start in this order and stop in reverse: the ledger is open and checked before the
        // first terminal is accepted, and the listener has drained before the ledger closes; between them, what the
        // throttle of violations still holds is journaled after the last session and before the ledger closes. The
        // operations side (HTTP) starts last and stops first: it reports ready only what is already serving.
        builder.Services.AddHostedService(services => services.GetRequiredService<LedgerStartup>());
        builder.Services.AddHostedService<ViolationSummaries>();
        builder.Services.AddHostedService(services => services.GetRequiredService<IssuerRoutes>());
        builder.Services.AddHostedService(services => new SafSender(
            services.GetRequiredService<IssuerRoutes>(),
            () => services.GetRequiredService<ILedger>() as IAcquirerLedger,
            services.GetRequiredService<ReversalSignal>(),
            services.GetRequiredService<SafMetrics>(),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<SafSender>>()));
        builder.Services.AddSingleton<TerminalListener>();
        builder.Services.AddHostedService(services => services.GetRequiredService<TerminalListener>());
        builder.AddTracing();
        builder.AddOperations();

        customize?.Invoke(builder);
        return builder.Build();
    }

    /// <summary>The issuer routes (Routing:Routes:N:*), validated at start; on loopback with none, the demo route.</summary>
    private static void AddRouting(HostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RoutingOptions>()
            .Bind(builder.Configuration.GetSection(RoutingOptions.SectionName))
            .PostConfigure<IOptions<ListenerOptions>>((routing, listener) => DemoRoute.AddWhenNoneConfigured(routing, listener.Value))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RoutingOptions>, RoutingOptionsValidator>();
        builder.Services.AddSingleton<IValidateOptions<RoutingOptions>>(new RouteSecretsInJsonFiles(builder.Configuration));
        builder.Services.AddSingleton<IValidateOptions<RoutingOptions>, RouteKeyFileCheck>();
        builder.Services.AddHostedService<StandInStartupWarnings>();
        builder.Services.AddSingleton<UpstreamMetrics>();
        builder.Services.AddSingleton<SafMetrics>();
        builder.Services.AddSingleton<ReversalSignal>();
        builder.Services.AddSingleton<IPinTranslator, SoftwarePinTranslator>();
        builder.Services.AddSingleton(services => new IssuerRoutes(
            services.GetRequiredService<IOptions<RoutingOptions>>().Value,
            services.GetRequiredService<IOptions<ListenerOptions>>().Value.MaxFrameLength,
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<UpstreamMetrics>(),
            services.GetRequiredService<ILoggerFactory>(),
            LinkStatusFile.PathIn(services.GetRequiredService<IOptions<LedgerOptions>>().Value.DataDirectory)));
    }

    private const string KeyEncryptionKeySetting = "Ledger:KeyEncryptionKey";
    private const string ConnectionStringSetting = "Storage:ConnectionString";

    /// <summary>The non-empty values JSON settings files (shipped beside the binary, often in version control) give <paramref name="key"/>.</summary>
    private static IEnumerable<string> ValuesInJsonFiles(IConfigurationRoot configuration, string key) =>
        configuration.Providers.OfType<Microsoft.Extensions.Configuration.Json.JsonConfigurationProvider>()
            .Select(provider => provider.TryGet(key, out var value) ? value : null)
            .OfType<string>()
            .Where(value => value.Length > 0);

    private static bool HasPassword(string connectionString)
    {
        try
        {
            return !string.IsNullOrEmpty(new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Password);
        }
        catch (ArgumentException)
        {
            return false; // Not a connection string at all: the ledger says so, in words, when it opens.
        }
    }

    /// <summary>The session pipeline over the open ledger; resolved by the listener as it starts, after the ledger has opened.</summary>
    private static SessionServices ComposeSessions(IServiceProvider services)
    {
        var listener = services.GetRequiredService<IOptions<ListenerOptions>>().Value;
        var loggers = services.GetRequiredService<ILoggerFactory>();
        return SessionPipeline.Compose(
            services.GetRequiredService<ILedger>(),
            services.GetRequiredService<PinVerifier>(),
            listener,
            services.GetRequiredService<TimeProvider>(),
            loggers,
            services.GetRequiredService<AtmMetrics>(),
            services.GetRequiredService<IOptions<TransmissionWindowOptions>>().Value,
            services.GetRequiredService<IOptions<KeyExchangeOptions>>().Value,
            Track2Mode.Resolve(services.GetRequiredService<IOptions<Track2Options>>().Value, listener, loggers.CreateLogger(typeof(Track2Mode))),
            services.GetRequiredService<ThrottledViolations>(),
            services.GetRequiredService<IOptions<TerminalAuthenticationOptions>>().Value.AnyConnectionServesTerminalsWithoutMac(listener.IsLoopback),
            ComposeAcquirer(services),
            services.GetRequiredService<TerminalPresence>());
    }

    /// <summary>The acquirer side when routes are configured and the ledger's store acquires; null otherwise.</summary>
    private static Acquirer? ComposeAcquirer(IServiceProvider services)
    {
        var routes = services.GetRequiredService<IssuerRoutes>();
        return routes.Routes.Count > 0 && services.GetRequiredService<ILedger>() is IAcquirerLedger ledger
            ? new Acquirer(
                routes,
                ledger,
                services.GetRequiredService<IPinTranslator>(),
                services.GetRequiredService<ReversalSignal>(),
                new StandInPolicies(services.GetRequiredService<IOptions<RoutingOptions>>().Value),
                services.GetRequiredService<TimeProvider>(),
                services.GetRequiredService<ILogger<Acquirer>>())
            : null;
    }

    /// <summary>
    /// The generic host logs a failed start with its stack trace; for failures <see cref="StartupFailure"/> words (bad
    /// settings, an unreachable database) Program prints one readable line instead, so the trace is only noise.
    /// </summary>
    private static bool IsDescribedStartupFailure(Serilog.Events.LogEvent logEvent) =>
        logEvent.Exception is { } exception
        && logEvent.MessageTemplate.Text.StartsWith("Hosting failed to start", StringComparison.Ordinal)
        && StartupFailure.TryDescribe(exception, out _);
}
