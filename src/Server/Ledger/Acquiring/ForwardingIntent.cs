namespace SocketAtm.Server.Ledger.Acquiring;

/// <summary>
/// A terminal's withdrawal or balance inquiry may be forwarded to the issuer of <paramref name="Route"/> if its card is not
/// on file: the caller chose the route by BIN, and the acquirer STAN (DE 11) and transmission time (DE 7, UTC MMddHHmmss)
/// it will send the request upstream with, before the ledger decides. A card on file is on-us and decided as ever; the
/// intent is then ignored (its STAN is simply never sent).
/// </summary>
/// <param name="Route">The route's name (Routing:Routes:N:Name).</param>
/// <param name="AcquirerStan">DE 11 upstream, 1–999999: with DE 7, DE 41 and DE 32 it names the original in an 0420's DE 90.</param>
/// <param name="AcquirerTransmission">DE 7 upstream, MMddHHmmss.</param>
internal sealed record ForwardingIntent(string Route, int AcquirerStan, string AcquirerTransmission) : UpstreamStep;
