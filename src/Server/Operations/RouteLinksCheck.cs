using Microsoft.Extensions.Diagnostics.HealthChecks;
using SocketAtm.Server.Upstream;

namespace SocketAtm.Server.Operations;

/// <summary>
/// Every route's link: Healthy when each has a signed-on connection and a closed breaker, Degraded otherwise — never
/// Unhealthy, so a route down keeps the host ready: terminals are still served for on-us cards, and another bank's
/// card is answered 91 or by stand-in (PROTOCOL.md §15) whichever host the balancer picks.
/// </summary>
internal sealed class RouteLinksCheck(IssuerRoutes routes) : IHealthCheck
{
    public const string Name = "routes";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var down = 0;
        foreach (var route in routes.Routes)
        {
            var status = route.Status();
            var up = status.SignedOn > 0 && status.Breaker == BreakerState.Closed;
            down += up ? 0 : 1;

            // Counts and states only: endpoints, keys and acquirer ids stay with admin routes.
            data[status.Route] = $"{(up ? "up" : "down")}: {status.SignedOn} of {status.Connections} connections signed on, breaker {status.Breaker}";
        }

        var summary = $"{routes.Routes.Count - down} of {routes.Routes.Count} routes up";
        return Task.FromResult(down == 0
            ? HealthCheckResult.Healthy(summary, data)
            : HealthCheckResult.Degraded(summary, data: data));
    }
}
