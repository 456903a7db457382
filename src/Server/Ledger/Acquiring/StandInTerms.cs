using SocketAtm.Server.Security;

namespace SocketAtm.Server.Ledger.Acquiring;

/// <summary>
/// What the ledger's writer needs to decide a request in stand-in for an unavailable route (<see cref="Rules.StandInRules"/>):
/// the limits the issuer agreed to (<c>Routing:Routes:N:StandIn:*</c>) and the result of the PIN check, made before the
/// writer, outside its lock (<see cref="StandInPinCheck"/>). Nothing of the card, the track or the PIN block.
/// </summary>
/// <param name="Route">The route's name: the card's usage in stand-in is counted per route and card.</param>
/// <param name="MaxAmount">The largest withdrawal stood in, in minor units.</param>
/// <param name="DailyAmount">What one card may withdraw in stand-in per UTC day, in minor units.</param>
/// <param name="DailyCount">Withdrawals one card may make in stand-in per UTC day.</param>
/// <param name="Pin">What the PIN check said.</param>
/// <param name="Currency">The ISO 4217 numeric currency the limits are in; 0 when the route names none.</param>
internal sealed record StandInTerms(string Route, long MaxAmount, long DailyAmount, int DailyCount, StandInPinResult Pin, int Currency = 0);
