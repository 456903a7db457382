using SocketAtm.Server.Routing;

namespace SocketAtm.Server.Upstream;

/// <summary>Validates a route's store-and-forward settings (part of <see cref="RoutingOptionsValidator"/>), one line per problem.</summary>
internal static class SafOptionsCheck
{
    public const int MaxBatch = 1_000;
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromHours(1);
    private static readonly TimeSpan MaxExpiry = TimeSpan.FromDays(365);

    public static void Check(RouteOptions route, string at, List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(route);
        RoutingOptionsValidator.CheckTime(route.SafRetryDelay, MaxRetryDelay, $"{at}:SafRetryDelay", "00:00:01", failures);
        RoutingOptionsValidator.CheckTime(route.SafMaxRetryDelay, MaxRetryDelay, $"{at}:SafMaxRetryDelay", "00:01:00", failures);
        if (route.SafMaxRetryDelay < route.SafRetryDelay)
        {
            failures.Add($"{at}:SafMaxRetryDelay must not be shorter than {at}:SafRetryDelay.");
        }

        RoutingOptionsValidator.CheckTime(route.SafExpiry, MaxExpiry, $"{at}:SafExpiry", "1.00:00:00", failures);
        RoutingOptionsValidator.CheckRange(route.SafBatch, 1, MaxBatch, $"{at}:SafBatch", failures);
    }
}
