using SocketAtm.Server.Ledger.Model;

namespace SocketAtm.Server.Ledger.Acquiring;

/// <summary>
/// A reversal the acquirer owes an issuer for a forwarded original, with everything its 0420 (and every 0421) carries:
/// DE 2 (<see cref="Pan"/>, decrypted from the record), DE 3 (from <see cref="Kind"/> and <see cref="AccountType"/>),
/// DE 4 (<see cref="Amount"/>, the original amount), DE 37 (the original's RRN), DE 39 (<see cref="Reason"/>), DE 41 (the
/// original key's terminal), DE 49, DE 90 (<see cref="OriginalMti"/>, <see cref="AcquirerStan"/>,
/// <see cref="AcquirerTransmission"/>) and DE 95 for a partial one (<see cref="DispensedAmount"/>). Until the issuer's 0430
/// "00" is recorded (<see cref="IAcquirerLedger.AcknowledgeReversalAsync"/>) it stays owed, across restarts and hosts.
/// </summary>
internal sealed record OwedMessage
{
    /// <summary>The terminal's key of the forwarded original (the key to acknowledge it by).</summary>
    public required RequestKey OriginalKey { get; init; }

    public required string Route { get; init; }

    /// <summary>The original's kind (withdrawal or balance inquiry).</summary>
    public required TransactionKind Kind { get; init; }

    /// <summary>The MTI the original was forwarded as (the terminal's class: 100 or 200), for DE 90.</summary>
    public required int OriginalMti { get; init; }

    public AccountType AccountType { get; init; }

    /// <summary>The original's PAN, for DE 2. Never logged (<see cref="ToString"/> leaves it out).</summary>
    public required string Pan { get; init; }

    public string MaskedPan { get; init; } = string.Empty;

    /// <summary>The original amount (DE 4), in minor units.</summary>
    public long Amount { get; init; }

    public int Currency { get; init; }

    /// <summary>The original's RRN, DE 37 of the 0420: the issuer's book is keyed by it (with DE 32).</summary>
    public required string RetrievalReference { get; init; }

    /// <summary>DE 11 the original was sent upstream with (DE 90).</summary>
    public int AcquirerStan { get; init; }

    /// <summary>DE 7 the original was sent upstream with (DE 90).</summary>
    public required string AcquirerTransmission { get; init; }

    /// <summary>DE 39 of the 0420: 17 (the terminal asked) or 68 (the acquirer gave up).</summary>
    public required string Reason { get; init; }

    /// <summary>For a partial reversal, the amount actually dispensed (DE 95); null for a full one.</summary>
    public long? DispensedAmount { get; init; }

    /// <summary>When it became owed.</summary>
    public DateTimeOffset OwedAt { get; init; }

    /// <summary>The card as the ledger matches it (an HMAC of the PAN): messages of one card are delivered in order.</summary>
    public string? CardDigest { get; init; }

    /// <summary>Its store-and-forward delivery: attempts so far, claim, next try, last result, refusal.</summary>
    public SafDelivery Saf { get; init; } = SafDelivery.None;

    /// <summary>Queued, or an exception the issuer refused.</summary>
    public SafState State => Saf.RefusedWith is null ? SafState.Queued : SafState.Exception;

    /// <summary>True when it was sent before: the next send is a repeat (0421).</summary>
    public bool IsRepeat => Saf.Attempts > 0;

    /// <summary>A reversal (0420/0421) or the advice of a stand-in approval (0220/0221).</summary>
    public SafMessage Message { get; init; }

    /// <summary>For an advice, DE 38 the acquirer gave the terminal in stand-in; null for a reversal.</summary>
    public string? AuthorizationId { get; init; }

    /// <summary>Names the message without the PAN.</summary>
    public override string ToString() =>
        $"{(Message == SafMessage.Advice ? "stand-in advice" : "reversal " + Reason)} of {OriginalKey} ({Route}, RRN {RetrievalReference}, {MaskedPan})";

    /// <summary>The message <paramref name="record"/> owes next (<see cref="ForwardingRecord.OwedMessage"/>), with <paramref name="pan"/> decrypted from it.</summary>
    public static OwedMessage Of(IdempotencyRecord record, string pan)
    {
        ArgumentNullException.ThrowIfNull(record);
        var forwarding = record.Forwarding ?? throw new ArgumentException("The record was not forwarded.", nameof(record));
        var message = forwarding.OwedMessage ?? throw new ArgumentException("The record owes nothing.", nameof(record));
        return new OwedMessage
        {
            OriginalKey = RequestKey.Parse(record.Key),
            Route = forwarding.Route,
            Kind = record.Kind,
            OriginalMti = Protocol.Vocabulary.MessageTypes.ClassOf(record.Mti),
            AccountType = forwarding.AccountType,
            Pan = pan,
            MaskedPan = record.MaskedPan,
            Amount = record.Amount,
            Currency = forwarding.Currency,
            RetrievalReference = record.Outcome.RetrievalReference ?? string.Empty,
            AcquirerStan = forwarding.AcquirerStan,
            AcquirerTransmission = forwarding.AcquirerTransmission,
            Message = message,
            Reason = message == SafMessage.Advice ? ResponseCodes.Approved : forwarding.ReversalReason!,
            AuthorizationId = message == SafMessage.Advice ? record.Outcome.AuthorizationId : null,
            DispensedAmount = message == SafMessage.Advice ? null : forwarding.ReversalDispensed,
            OwedAt = DateTimeOffset.FromUnixTimeMilliseconds(forwarding.OwedAtUnixMilliseconds),
            CardDigest = record.PanDigest,
            Saf = forwarding.Saf,
        };
    }
}
