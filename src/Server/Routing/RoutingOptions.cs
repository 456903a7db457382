namespace SocketAtm.Server.Routing;

/// <summary>The issuers the host routes other banks' cards to (configuration section <see cref="SectionName"/>).</summary>
internal sealed class RoutingOptions
{
    public const string SectionName = "Routing";

    public List<RouteOptions> Routes { get; set; } = [];

    /// <summary>Set when the routes are the demo route the host added itself (loopback, none configured).</summary>
    public bool IsDemo { get; internal set; }
}
