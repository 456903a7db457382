namespace SocketAtm.Server.Ledger.Rules;

/// <summary>What the issuer's answer to an owed message means for its store-and-forward entry (<see cref="SafRules.Classify"/>).</summary>
internal enum SafAnswer : byte
{
    /// <summary>DE 39 00: delivered; the entry leaves the queue.</summary>
    Acknowledged,

    /// <summary>No answer, 91 or 96: sent again after the backoff.</summary>
    Retry,

    /// <summary>Any other DE 39: refused; kept as an exception for operators.</summary>
    Refused,
}
