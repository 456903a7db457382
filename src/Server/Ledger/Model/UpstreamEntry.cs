namespace SocketAtm.Server.Ledger.Model;

/// <summary>
/// What a journal row says about the acquirer's book with an issuer: the route, the RRN (DE 37) the forwarded original was
/// sent with, and by how much the row changes what the issuer owes the acquirer for it. The issuer owes the amount of an
/// approved forwarded withdrawal from the row that records the approval; a reversal counts against it (the original less
/// the amount dispensed) from the row that makes it owed upstream, so the net per RRN is the cash the acquirer's terminals
/// actually paid out for that issuer. It never touches an account: an acquired card has none here, and the on-us
/// invariants (balances against deltas) are unchanged.
/// </summary>
/// <param name="Amount">The change of what the issuer owes, in minor units (negative for a reversal); 0 for a row that records only a step.</param>
internal sealed record UpstreamEntry(string Route, string RetrievalReference, long Amount);
