namespace SocketAtm.Server.Ledger.Model;

/// <summary>
/// Where a forwarded request stands with its issuer. It only ever moves from <see cref="Pending"/>, once: to
/// <see cref="Answered"/>, <see cref="GivenUp"/> or <see cref="StoodIn"/>, whichever the writer records first. Whether a reversal is owed
/// upstream (and acknowledged: "Reversed") is kept beside it (<see cref="ForwardingRecord.ReversalReason"/>).
/// </summary>
internal enum ForwardState : byte
{
    /// <summary>Journaled and sent (or about to be); no answer recorded yet. A repeat waits; the stored answer is 91.</summary>
    Pending,

    /// <summary>The issuer's answer is stored: a repeat gets it.</summary>
    Answered,

    /// <summary>The acquirer gave up: the stored answer is 91 and a reversal (68) is owed upstream.</summary>
    GivenUp,

    /// <summary>
    /// The route was unavailable and the acquirer decided in stand-in, within the issuer's limits (PROTOCOL.md §15.10): the
    /// stored answer is its decision, and an approval owes the issuer an advice (0220). Never given up: nothing was sent.
    /// </summary>
    StoodIn,
}
