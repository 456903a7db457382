using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SocketAtm.Server.Operations.Access;

/// <summary>
/// The services Kestrel's <c>UseHttps</c> resolves from <c>KestrelServerOptions.ApplicationServices</c> (its logger factory
/// and its internal metrics), which a Kestrel built by hand in the generic host — as <see cref="OperationsServer"/> builds
/// it — lacks. Kestrel registers them itself in <see cref="WebHostBuilderKestrelExtensions.UseKestrelCore"/>, which only
/// takes a web host builder: this hands it one that merely collects its service registrations, into a small container
/// of Kestrel's own, beside the host's logger factory. Public API only; nothing of the host's container changes.
/// </summary>
internal static class KestrelHttpsServices
{
    public static ServiceProvider Create(ILoggerFactory loggers)
    {
        var services = new ServiceCollection();
        services.AddSingleton(loggers);
        services.AddMetrics();
        new RegistrationsOnly(services).UseKestrelCore();
        return services.BuildServiceProvider();
    }

    /// <summary>A web host builder that only applies <c>ConfigureServices</c> calls to <paramref name="services"/>.</summary>
    private sealed class RegistrationsOnly(IServiceCollection services) : IWebHostBuilder
    {
        private readonly Dictionary<string, string?> _settings = new(StringComparer.OrdinalIgnoreCase);
        private readonly WebHostBuilderContext _context = new() { Configuration = new ConfigurationBuilder().Build() };

        // The interface still names the obsolete IWebHost; nothing here builds one.
#pragma warning disable ASPDEPR008
        public IWebHost Build() => throw new NotSupportedException("Only collects Kestrel's service registrations.");
#pragma warning restore ASPDEPR008

        public IWebHostBuilder ConfigureAppConfiguration(Action<WebHostBuilderContext, IConfigurationBuilder> configureDelegate) => this;

        public IWebHostBuilder ConfigureServices(Action<IServiceCollection> configureServices)
        {
            ArgumentNullException.ThrowIfNull(configureServices);
            configureServices(services);
            return this;
        }

        public IWebHostBuilder ConfigureServices(Action<WebHostBuilderContext, IServiceCollection> configureServices)
        {
            ArgumentNullException.ThrowIfNull(configureServices);
            configureServices(_context, services);
            return this;
        }

        public string? GetSetting(string key) => _settings.GetValueOrDefault(key);

        public IWebHostBuilder UseSetting(string key, string? value)
        {
            _settings[key] = value;
            return this;
        }
    }
}
