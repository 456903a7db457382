using SocketAtm.Server.Ledger.Acquiring;
using SocketAtm.Server.Routing;
using SocketAtm.Server.Security;
using SocketAtm.Server.Upstream;

namespace SocketAtm.Server.Acquiring;

/// <summary>
/// What each route's issuer agreed the host may decide on its behalf while the route is unavailable
/// (Routing:Routes:N:StandIn, PROTOCOL.md §15.10): its limits and its PVK, loaded once at start. A route without stand-in
/// enabled has none, and its requests are answered 91 while it is unavailable, as before.
/// </summary>
internal sealed class StandInPolicies
{
    private readonly Dictionary<string, (StandInOptions Options, StandInPinCheck Pin)> _byRoute = new(StringComparer.Ordinal);

    public StandInPolicies(RoutingOptions routing)
    {
        ArgumentNullException.ThrowIfNull(routing);
        for (var index = 0; index < routing.Routes.Count; index++)
        {
            var route = routing.Routes[index];
            if (route.Name is { } name && route.StandIn.Enabled)
            {
                _byRoute[name] = (route.StandIn, new StandInPinCheck(route.StandIn.LoadPinVerificationKey(RoutingOptionsValidator.Setting(index))));
            }
        }
    }

    /// <summary>True when <paramref name="route"/> may be stood in for.</summary>
    public bool Covers(string route) => _byRoute.ContainsKey(route);

    /// <summary>Verifies the customer's PIN for stand-in on <paramref name="route"/> (see <see cref="StandInPinCheck.Check"/>).</summary>
    public StandInPinResult CheckPin(string route, TerminalPinKeys keys, ReadOnlySpan<byte> pan, ReadOnlySpan<byte> track2, ReadOnlySpan<byte> pinBlock) =>
        _byRoute.TryGetValue(route, out var policy) ? policy.Pin.Check(keys, pan, track2, pinBlock) : StandInPinResult.Unverifiable;

    /// <summary>The terms the ledger decides a stand-in of <paramref name="route"/> by, or null when it has no stand-in.</summary>
    public StandInTerms? TermsFor(string route, StandInPinResult pin) =>
        _byRoute.TryGetValue(route, out var policy)
            ? new StandInTerms(route, policy.Options.MaxAmount, policy.Options.DailyAmount, policy.Options.DailyCount, pin, policy.Options.Currency)
            : null;
}
