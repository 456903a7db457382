using SocketAtm.Server.Ledger;

namespace SocketAtm.Server.Sessions;

/// <summary>
/// What the dispatcher does when a request is made under its terminal's pending keys: makes them current (durably, and
/// journaled as a security event) before the request goes on. The route table names it, as it names the MAC-failure
/// handler, so that the ledger work it implies is the handlers' side's.
/// </summary>
internal interface IPendingKeyPromotion
{
    /// <summary>
    /// Makes <paramref name="terminal"/>'s pending keys current if they still are pending as stored, and returns the
    /// terminal as stored afterwards (the dispatcher checks the request again under it).
    /// </summary>
    ValueTask<TerminalRecord> PromoteAsync(MessageContext context, TerminalRecord terminal, CancellationToken cancellationToken);
}
