namespace SocketAtm.Server.Ledger.Model;

/// <summary>How a journaled request was handled.</summary>
internal enum JournalDisposition : byte
{
    /// <summary>Decided now; the outcome is stored under the request's key.</summary>
    Decided,

    /// <summary>A repeat answered with the stored outcome; nothing applied.</summary>
    Replay,

    /// <summary>A new original whose key was already used: answered 94, nothing applied or stored.</summary>
    Duplicate,

    /// <summary>
    /// Refused before any decision — a missing or wrong MAC (63), on a financial request or an 0800; or a financial request
    /// of a terminal without a MAC key over a connection that does not vouch for it (58): journaled as a security event,
    /// nothing applied or stored.
    /// </summary>
    Rejected,

    /// <summary>The decision failed unexpectedly: answered 96, nothing applied or stored, so a repeat is decided afresh.</summary>
    Failed,

    /// <summary>
    /// Refused before any decision because DE 7 was outside the transmission window (63): a security event (a replay, or a
    /// terminal whose clock is far off), nothing applied or stored.
    /// </summary>
    Stale,

    /// <summary>
    /// A reversal whose PAN or amount is not its original's (25 or 64): a security event; nothing applied or stored under
    /// its key, no marker left, so it cannot take the place of the genuine reversal.
    /// </summary>
    Mismatched,

    /// <summary>A key exchange issued new working keys, stored as pending: a security event, with their KCVs (never the keys).</summary>
    KeysIssued,

    /// <summary>A terminal's first use of its pending keys made them current: a security event, with their KCVs.</summary>
    KeysPromoted,

    /// <summary>
    /// A card request whose track 2 (DE 35) is not the card on file's — another PAN than DE 2, another expiry or service
    /// code, or a CVV that does not verify (59): a security event; nothing applied or stored, no PIN try counted.
    /// </summary>
    Counterfeit,

    /// <summary>
    /// Security violations (bad MACs, stale DE 7) of one terminal beyond <c>Security:ViolationThreshold</c> within one
    /// <c>Security:ViolationWindow</c>, journaled as this one row when the window ended rather than a row each: how many, of
    /// which kind, from which address (the detail; never a PAN). Each was answered 63 and changed nothing.
    /// </summary>
    Throttled,

    /// <summary>
    /// A withdrawal or balance inquiry of a card not on file, forwarded to its issuer's route: its RRN is assigned, its
    /// record stored under its key as pending; nothing applied. Counts as the key's decision (for the invariants).
    /// </summary>
    Forwarded,

    /// <summary>The issuer's answer to a pending forwarded request, stored under its key (with what it makes the issuer owe).</summary>
    IssuerAnswered,

    /// <summary>The acquirer gave up on a pending forwarded request: its stored answer is 91 and a reversal (68) is owed upstream.</summary>
    GivenUp,

    /// <summary>The issuer acknowledged (0430 "00") the reversal owed for a forwarded original: reversed upstream.</summary>
    ReversalAcknowledged,

    /// <summary>
    /// An issuer's message about a forwarded request the ledger records but does not act on: an answer after the request
    /// was answered or given up (the stored answer stands), or an 0430 that does not acknowledge (the reversal stays owed).
    /// </summary>
    UpstreamIgnored,

    /// <summary>
    /// The issuer refused a message the acquirer owed it (an 0430 with a DE 39 other than 00, 91 or 96): kept as a
    /// store-and-forward exception for operators, not retried until one asks (PROTOCOL.md §15.6).
    /// </summary>
    DeliveryRefused,

    /// <summary>
    /// The acquirer decided a forwarded request in stand-in, its route unavailable (PROTOCOL.md §15.10): the response code
    /// is its decision; an approval makes the issuer owe its amount (the book) and an advice (0220) owed to the issuer.
    /// </summary>
    StoodIn,

    /// <summary>The issuer booked the advice (0230 "00") of a stand-in approval.</summary>
    AdviceAcknowledged,

    /// <summary>
    /// The issuer booked the advice of a stand-in approval but answered with the card decision it would have made (e.g. 51):
    /// the dispense stands; a reconciliation exception for operators (<c>admin saf disputes</c>).
    /// </summary>
    AdviceDisputed,
}
