namespace SocketAtm.Server.Upstream;

/// <summary>
/// What the acquirer adds to a terminal's request when it forwards it: its own STAN and transmission time towards the
/// route, the RRN its ledger assigned, its DE 32, and the PIN block already translated to the route's ZPK.
/// </summary>
/// <param name="Stan">From <see cref="IssuerRoute.NextStan"/>.</param>
/// <param name="Now">The host's clock as the request is built: DE 7 in UTC, and DE 12/13 in local time when the terminal sent none.</param>
/// <param name="RetrievalReference">DE 37, 12 characters, unique per acquirer.</param>
/// <param name="AcquirerId">DE 32, the route's <see cref="IssuerRoute.AcquirerId"/>.</param>
/// <param name="PinBlock">DE 52 under the ZPK (8 bytes); empty when the request carries no PIN.</param>
internal readonly record struct UpstreamStamp(int Stan, DateTimeOffset Now, string RetrievalReference, string AcquirerId, ReadOnlyMemory<byte> PinBlock);
