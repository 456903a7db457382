namespace SocketAtm.Server.Ledger.Acquiring;

/// <summary>
/// One line of the acquirer's book with an issuer: for the RRN (DE 37) of a forwarded withdrawal the issuer approved, what
/// the issuer owes the acquirer for it — the approved amount less what reversals owed or acknowledged upstream give back
/// (0 once fully reversed; the amount dispensed after a partial reversal). A forwarded request never approved has no line:
/// compare with the issuer's book taking a missing RRN as 0. Kept in the journal, which is never pruned.
/// </summary>
internal sealed record AcquirerBookEntry(string Route, string RetrievalReference, long NetAmount);
