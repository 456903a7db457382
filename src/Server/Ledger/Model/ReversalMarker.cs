namespace SocketAtm.Server.Ledger.Model;

/// <summary>
/// Left when a reversal arrives for an original the ledger has not seen: the original, if it turns up later, is
/// declined with 94 and applies nothing, because the terminal has already given up on it.
/// </summary>
internal sealed record ReversalMarker(string OriginalKey, string ReversalKey, long AtUnixMilliseconds);
