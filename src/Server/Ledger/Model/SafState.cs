namespace SocketAtm.Server.Ledger.Model;

/// <summary>Where a message the acquirer owes an issuer stands in the store-and-forward queue (PROTOCOL.md §15.6).</summary>
internal enum SafState : byte
{
    /// <summary>To be delivered: the SAF worker sends it, with backoff, until the issuer acknowledges it.</summary>
    Queued,

    /// <summary>
    /// The issuer refused it (an answer other than 00, 91 or 96): kept, not retried, listed for operators until one retries
    /// it (<c>admin saf retry</c>). Never dropped, never pruned.
    /// </summary>
    Exception,
}
