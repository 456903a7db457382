namespace SocketAtm.Server.Ledger.Acquiring;

/// <summary>What a <see cref="LedgerOutcome"/> asks its caller to do upstream, beside (or instead of) answering the terminal.</summary>
internal enum ForwardingStatus : byte
{
    /// <summary>Nothing: the outcome is the terminal's answer (on-us, a refusal, or a forwarded request's stored answer).</summary>
    None,

    /// <summary>
    /// Forward the request now, with the intent's STAN and DE 7 and the outcome's RRN: it is journaled and stored as pending,
    /// durably. The outcome's response code is 91, the answer a caller that does not forward must give.
    /// </summary>
    Forward,

    /// <summary>
    /// A repeat of a request still pending upstream: wait for its answer (ask again, or poll
    /// <see cref="IAcquirerLedger.FindForwardAsync"/>), never forward it again. The response code is the stored 91.
    /// </summary>
    Wait,
}
