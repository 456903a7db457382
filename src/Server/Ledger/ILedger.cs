using System.Diagnostics;
using SocketAtm.Server.Security;

namespace SocketAtm.Server.Ledger;

/// <summary>
/// The ledger contract: decide and apply financial requests atomically and durably, and look up terminals.
/// An implementation completes <see cref="ExecuteAsync"/> only after the outcome and every change it implies
/// are durable; a repeated key returns the stored outcome. When its work queue is full it answers 91 at once
/// (nothing journaled) instead of queueing without bound. LiteDB (embedded, one host) and PostgreSQL (several hosts on
/// one database) implement it, both on the <see cref="QueuedLedger"/> shell.
/// </summary>
internal interface ILedger : IAsyncDisposable
{
    /// <summary>Decides, applies and journals <paramref name="request"/>; completes once the result is on disk.</summary>
    ValueTask<LedgerOutcome> ExecuteAsync(LedgerRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="ExecuteAsync(LedgerRequest, CancellationToken)"/> for the terminal request whose span is
    /// <paramref name="requestSpan"/> (null when it is not traced): a ledger that traces its commits makes its span a child
    /// of it. A parameter rather than a field of the request, which would make every request bigger, traced or not.
    /// </summary>
    ValueTask<LedgerOutcome> ExecuteAsync(LedgerRequest request, Activity? requestSpan, CancellationToken cancellationToken) =>
        ExecuteAsync(request, cancellationToken);

    /// <summary>The registered terminal <paramref name="terminalId"/>, or null.</summary>
    ValueTask<TerminalRecord?> FindTerminalAsync(string terminalId, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the working keys the key exchange <paramref name="exchange"/> issued as the terminal's pending keys, durably,
    /// replacing any pending ones it has not used; its current keys stay current. Decided against the terminal as stored
    /// (<see cref="TerminalRecord.OrderOf"/>), in the same transaction: an exchange that is not later than the last one
    /// stores nothing, and a repeat of the one whose keys are pending stores nothing and gets those keys back.
    /// <see cref="FindTerminalAsync"/> returns stored keys as pending from the moment this completes.
    /// </summary>
    Task<PendingKeysResult> StorePendingKeysAsync(string terminalId, byte[] pinKey, byte[] macKey, KeyExchangeRequest exchange, CancellationToken cancellationToken);

    /// <summary>
    /// The terminal used its pending keys <paramref name="pinKey"/> and <paramref name="macKey"/>: makes them current,
    /// durably, if they are still its pending keys as stored (another host, or a concurrent request, may have promoted them
    /// already, or a later exchange replaced them), the replaced ones kept for the overlap. Returns the terminal as stored
    /// afterwards, and whether this call promoted them.
    /// </summary>
    Task<KeyPromotion> PromotePendingKeysAsync(string terminalId, byte[] pinKey, byte[] macKey, CancellationToken cancellationToken);

    /// <summary>The issuer's PIN verification key and its index (PVKI), with which candidate PVVs are computed.</summary>
    ValueTask<PinVerificationKey> GetPinVerificationKeyAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The issuer's card verification key pair, under which the CVV of a request's track 2 is verified. Read when the
    /// ledger opens and served from memory (completes synchronously): an imported CVK is used from the next start.
    /// </summary>
    ValueTask<CardVerificationKey> GetCardVerificationKeyAsync(CancellationToken cancellationToken);
}
