namespace SocketAtm.Server.Ledger;

/// <summary>
/// Which 0800/161 issued a terminal's keys: its DE 7 (read as a point in time, the year inferred) and its DE 11. A key
/// exchange is MACed under the keys in force, which stay in force until the new ones are first used, so a recorded
/// exchange verifies again when replayed; remembering the last one lets the host answer a repeat of it with the same
/// keys and refuse an older one, so that no replay can replace keys a terminal already switched to.
/// </summary>
/// <param name="TransmittedAt">DE 7 of the exchange, in the year nearest the host's clock.</param>
/// <param name="Stan">DE 11 of the exchange.</param>
internal sealed record KeyExchangeRequest(DateTimeOffset TransmittedAt, int Stan);
