namespace SocketAtm.Server.Ledger.Rules;

/// <summary>What the issuer's answer to an owed message means for its store-and-forward entry (<see cref="SafRules.Classify"/>).</summary>
internal enum SafAnswer : byte
{
    /// <summary>DE 39 00: delivered; the entry leaves the queue.</summary>
    Acknowledged,

    /// <summary>
    /// An advice's 0230 with a card decision (e.g. 51): booked, but the issuer would have declined it — delivered, and a
    /// reconciliation exception for operators.
    /// </summary>
    Disputed,

    /// <summary>No answer, 91 or 96: sent again after the backoff.</summary>
    Retry,

    /// <summary>Any other DE 39: refused; kept as an exception for operators.</summary>
    Refused,
}
