namespace SocketAtm.Server.Ledger.Model;

/// <summary>
/// What an <see cref="IdempotencyRecord"/> of a forwarded request keeps about its upstream side: where it was sent and as
/// what, where it stands (<see cref="State"/>), whether the terminal reversed it, and the one reversal owed upstream, if any.
/// </summary>
/// <remarks>
/// <para>Exactly one reversal is ever owed per forwarded original: <see cref="ReversalReason"/> is set at most once (17 when
/// the terminal's 0400 asked for it, 68 when the acquirer gave up) and never changed, only acknowledged.</para>
/// <para>The PAN is needed again only for that 0420 (DE 2), and the ledger stores no PAN in the clear: <see cref="SealedPan"/>
/// holds it encrypted under the ledger's key-encryption key (<see cref="KeyProtection.KeyProtector.ProtectPan"/>), bound
/// to the record's key, only while it may still be needed — while the request is pending, and while a reversal is owed and
/// unacknowledged. It is deleted as soon as the request is answered with no reversal owed, or the reversal is acknowledged;
/// a terminal's later 0400 (which carries DE 2, matched to the original's PAN digest) seals it again.</para>
/// </remarks>
internal sealed record ForwardingRecord
{
    /// <summary>The route's name.</summary>
    public required string Route { get; init; }

    /// <summary>DE 11 the request was sent upstream with.</summary>
    public required int AcquirerStan { get; init; }

    /// <summary>DE 7 the request was sent upstream with (MMddHHmmss, UTC).</summary>
    public required string AcquirerTransmission { get; init; }

    public required ForwardState State { get; init; }

    /// <summary>The request's account type (for DE 3 of the 0420), as the terminal asked.</summary>
    public AccountType AccountType { get; init; }

    /// <summary>The request's DE 49 (for the 0420).</summary>
    public int Currency { get; init; }

    /// <summary>The PAN, encrypted under the KEK, while it may still be needed for an 0420; null otherwise (see remarks).</summary>
    public string? SealedPan { get; init; }

    /// <summary>The key of the terminal's reversal (0400/0401) of this request, once one was accepted; null otherwise.</summary>
    public string? TerminalReversalKey { get; init; }

    /// <summary>The amount the terminal's reversal said was dispensed (DE 95), null for a full reversal.</summary>
    public long? TerminalDispensed { get; init; }

    /// <summary>
    /// The reason of the reversal owed upstream (DE 39 of the 0420): <see cref="ResponseCodes.CustomerCancellation"/> (17) or
    /// <see cref="ResponseCodes.ResponseReceivedTooLate"/> (68); null while none is owed.
    /// </summary>
    public string? ReversalReason { get; init; }

    /// <summary>For a partial reversal owed upstream, the amount dispensed (DE 95 of the 0420); null for a full one.</summary>
    public long? ReversalDispensed { get; init; }

    /// <summary>When the reversal became owed, as Unix milliseconds (the owed list is oldest first).</summary>
    public long ReversalOwedAtUnixMilliseconds { get; init; }

    /// <summary>DE 39 of the issuer's 0430 that acknowledged the reversal ("00"): the original is then reversed upstream. Null while owed.</summary>
    public string? ReversalAcknowledged { get; init; }

    /// <summary>True while a reversal is owed upstream and not acknowledged (queued for delivery, or kept as an exception).</summary>
    public bool IsReversalOwed => ReversalReason is not null && ReversalAcknowledged is null;

    /// <summary>For a stand-in approval, when its advice (0220) became owed, as Unix milliseconds; null when none is.</summary>
    public long? AdviceOwedAtUnixMilliseconds { get; init; }

    /// <summary>
    /// DE 39 of the issuer's 0230 that took the advice: 00, or a card decision (booked, but the issuer would have declined:
    /// a reconciliation exception). Null while the advice is owed (or none is).
    /// </summary>
    public string? AdviceAcknowledged { get; init; }

    /// <summary>True while a stand-in advice is owed upstream and not acknowledged.</summary>
    public bool IsAdviceOwed => AdviceOwedAtUnixMilliseconds is not null && AdviceAcknowledged is null;

    /// <summary>
    /// The message the record owes its issuer next: the advice of a stand-in approval before any reversal of it (the issuer
    /// must know of the approval first), else the owed reversal; null when nothing is owed.
    /// </summary>
    public SafMessage? OwedMessage => IsAdviceOwed ? SafMessage.Advice : IsReversalOwed ? SafMessage.Reversal : null;

    /// <summary>When <see cref="OwedMessage"/> became owed (the queue's order), as Unix milliseconds.</summary>
    public long OwedAtUnixMilliseconds => IsAdviceOwed ? AdviceOwedAtUnixMilliseconds!.Value : ReversalOwedAtUnixMilliseconds;

    /// <summary>The store-and-forward delivery of the owed message: attempts, claim, next try, refusal (PROTOCOL.md §15.6).</summary>
    public SafDelivery Saf { get; init; } = SafDelivery.None;

    /// <summary>Where the owed message stands in the store-and-forward queue; null when nothing is owed.</summary>
    public SafState? SafState => OwedMessage is null ? null : Saf.RefusedWith is null ? Model.SafState.Queued : Model.SafState.Exception;

    /// <summary>
    /// True while the record must outlive <see cref="LedgerOptions.RepeatRetention"/>: pending (it will be answered or given
    /// up), or owing a reversal. Pruning skips it until then.
    /// </summary>
    public bool IsHeld => State == ForwardState.Pending || OwedMessage is not null;
}
