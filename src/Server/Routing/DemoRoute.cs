using SocketAtm.Server.Ledger;
using SocketAtm.Server.Transport;

namespace SocketAtm.Server.Routing;

/// <summary>
/// On a loopback listener with no route configured, the host routes the demo not-on-us BIN to the issuer simulator on
/// this machine under the published demo ZPK. Off loopback there is no demo route: an operator configures its own.
/// </summary>
internal static class DemoRoute
{
    public const string Name = "demo-issuer";
    public const string Bin = "541333";
    public const string Endpoint = "127.0.0.1:8584";

    /// <summary>The DE 32 the demo host sends the simulator.</summary>
    public const string AcquirerId = "476173";

    public static void AddWhenNoneConfigured(RoutingOptions routing, ListenerOptions listener)
    {
        ArgumentNullException.ThrowIfNull(routing);
        ArgumentNullException.ThrowIfNull(listener);
        if (!listener.IsLoopback || routing.Routes.Count > 0)
        {
            return;
        }

        routing.Routes.Add(new RouteOptions
        {
            Name = Name,
            Bins = [Bin],
            Endpoints = [Endpoint],
            AcquirerId = AcquirerId,
            ZonePinKey = Convert.ToHexString(DemoData.ZonePinKey),
        });
        routing.IsDemo = true;
    }
}
