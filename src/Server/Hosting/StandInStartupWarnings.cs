using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SocketAtm.Server.Routing;

namespace SocketAtm.Server.Hosting;

/// <summary>
/// Says at every start which routes enable stand-in without the issuer's PVK: valid settings, but each of their stand-in
/// requests is declined 91, so that an operator who meant to stand in does not learn it from the first outage.
/// </summary>
internal sealed partial class StandInStartupWarnings(IOptions<RoutingOptions> routing, ILogger<StandInStartupWarnings> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var routes = routing.Value.Routes;
        for (var index = 0; index < routes.Count; index++)
        {
            var route = routes[index];
            if (route.StandIn.Enabled && !route.StandIn.HasPinVerificationKey)
            {
                WithoutPinVerificationKey(logger, route.Name ?? string.Empty, Upstream.RoutingOptionsValidator.Setting(index));
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(5010, LogLevel.Warning, "Route {Route}: {Setting}:StandIn:Enabled is true but no PIN verification key is set ({Setting}:StandIn:PinVerificationKey or :PinVerificationKeyFile): while the route is unavailable every request is declined 91, none stood in")]
    private static partial void WithoutPinVerificationKey(ILogger logger, string route, string setting);
}
