namespace SocketAtm.Server.Ledger.Acquiring;

/// <summary>
/// The acquirer decides a pending forwarded request itself, its route unavailable and stand-in enabled (PROTOCOL.md
/// §15.10): <see cref="Rules.StandInRules"/> decide within <paramref name="Terms"/> and the card's stand-in usage that
/// day; an approval owes the issuer an advice (0220), in the same commit. The request carries the PAN, so that the
/// store can find (and on PostgreSQL lock) the card's usage before the batch decides.
/// </summary>
/// <param name="Terms">The route's limits and the PIN check's result, computed before the writer.</param>
internal sealed record StandInDecision(StandInTerms Terms) : UpstreamStep;
