namespace SocketAtm.Server.Ledger.Model;

/// <summary>
/// Left when a reversal arrives for an original the ledger has not seen: the original, if it turns up later with the
/// reversal's PAN and amount, is declined with 94 and applies nothing, because the terminal has already given up on it.
/// An original that turns up with another PAN or amount is not the one reversed and is decided like any request; so a
/// forged reversal cannot block a genuine withdrawal.
/// </summary>
/// <param name="PanDigest">
/// The reversal's PAN as cards are found by (an HMAC, never the PAN). Null when the marker refuses whatever original
/// comes: it was left before markers recorded the reversal (an older ledger), or reversals that disagree named the
/// original (refusing is the side that moves no money).
/// </param>
/// <param name="Amount">The reversal's DE 4, the original amount it named; null with <paramref name="PanDigest"/>.</param>
internal sealed record ReversalMarker(string OriginalKey, string ReversalKey, long AtUnixMilliseconds, string? PanDigest = null, long? Amount = null)
{
    /// <summary>True when a late original with this PAN digest and amount is the one the reversal gave up on.</summary>
    public bool Refuses(string panDigest, long amount) => PanDigest is null || (PanDigest == panDigest && Amount == amount);

    /// <summary>This marker after another reversal named the same original: unchanged if it agrees, else refusing any.</summary>
    public ReversalMarker With(string panDigest, long amount) =>
        PanDigest is null || (PanDigest == panDigest && Amount == amount) ? this : this with { PanDigest = null, Amount = null };
}
