namespace SocketAtm.Server.Ledger;

/// <summary>The financial operations the ledger applies, and the network management it journals as security events.</summary>
internal enum TransactionKind : byte
{
    /// <summary>Balance inquiry (processing code 30xxxx/31xxxx): verifies the PIN, changes no money.</summary>
    BalanceInquiry,

    /// <summary>Cash withdrawal (processing code 01xxxx): debits the account when approved.</summary>
    Withdrawal,

    /// <summary>Reversal or reversal advice of an earlier withdrawal, full or partial.</summary>
    Reversal,

    /// <summary>An 0800 (sign-on, sign-off, echo, key exchange) refused for its MAC: journaled only, as a security event.</summary>
    NetworkManagement,

    /// <summary>New working keys issued by a key exchange, or made current by their first use: journaled only, as security events.</summary>
    KeyExchange,

    /// <summary>Security violations of a terminal throttled within one window: journaled only, as one aggregated row (<see cref="Model.JournalDisposition.Throttled"/>).</summary>
    SecurityViolation,

    /// <summary>
    /// The ledger's record of what happened upstream to a forwarded request (<see cref="Acquiring.IssuerAnswer"/>,
    /// <see cref="Acquiring.UpstreamGiveUp"/>, <see cref="Acquiring.ReversalAcknowledgement"/>), under that request's
    /// key. Never journaled or stored under this kind: its rows carry the forwarded request's kind.
    /// </summary>
    UpstreamStep,
}
