namespace SocketAtm.Server.Ledger.Acquiring;

/// <summary>The issuer's 0430 to the owed reversal advice of a forwarded original.</summary>
/// <param name="ResponseCode">DE 39 of the 0430: only "00" acknowledges (the issuer took the reversal).</param>
internal sealed record ReversalAcknowledgement(string ResponseCode) : UpstreamStep;
