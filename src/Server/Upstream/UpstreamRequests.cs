using SocketAtm.Protocol.Composites;
using SocketAtm.Protocol.Iso8583;

namespace SocketAtm.Server.Upstream;

/// <summary>
/// Pure builders of the acquirer's messages to an issuer (the upstream contract): the forwarded 0100/0200 and the
/// reversal advice 0420/0421. No MAC here: <see cref="IssuerRoute.ExchangeAsync"/> adds it when the route has a ZAK.
/// </summary>
internal static class UpstreamRequests
{
    /// <summary>The terminal's POS entry mode when it sent none: magnetic stripe read (track 2) with PIN.</summary>
    public const string EntryModeTrack2 = "021";

    /// <summary>The terminal's POS entry mode when it sent none and no track 2: keyed with PIN.</summary>
    public const string EntryModeKeyed = "012";

    /// <summary>
    /// The 0100/0200 that forwards <paramref name="terminal"/>'s request: its class (a repeat 0101/0201 is never forwarded
    /// as one), the terminal's DE 2 (else track 2's PAN), 3, 4, 12, 13 (else the host's local time), 14 (track 2's, else
    /// the terminal's), 22 (else 021 with track 2, 012 without), 35, 41, 42, 43, 49, and the acquirer's own 7, 11, 32,
    /// 37 and 52.
    /// </summary>
    /// <exception cref="ArgumentException">Not an 0100/0200 (or its repeat), or no PAN in DE 2 nor track 2.</exception>
    public static IsoMessage Financial(IsoMessage terminal, in UpstreamStamp stamp)
    {
        ArgumentNullException.ThrowIfNull(terminal);
        var mti = MessageTypes.ClassOf(terminal.Mti);
        if (mti is not (MessageTypes.AuthorizationRequest or MessageTypes.FinancialRequest))
        {
            throw new ArgumentException($"Only an 0100 or 0200 is forwarded, not {MessageTypes.Format(terminal.Mti)}.", nameof(terminal));
        }

        var upstream = new IsoMessage { Mti = mti };
        var hasTrack2 = Track2.TryParse(terminal.Get(DataElements.Track2), out var track2);
        if (terminal.Has(DataElements.PrimaryAccountNumber))
        {
            upstream.CopyFrom(terminal, DataElements.PrimaryAccountNumber);
        }
        else if (hasTrack2)
        {
            upstream.Set(DataElements.PrimaryAccountNumber, track2.Pan);
        }
        else
        {
            throw new ArgumentException("The request names no card: neither DE 2 nor a track 2.", nameof(terminal));
        }

        upstream.CopyFrom(terminal, DataElements.ProcessingCode);
        upstream.CopyFrom(terminal, DataElements.Amount);
        upstream.Set(DataElements.TransmissionDateTime, UpstreamTime.TransmissionDateTime(stamp.Now));
        upstream.SetNumber(DataElements.Stan, stamp.Stan);
        var local = stamp.Now.ToLocalTime();
        SetOr(upstream, terminal, DataElements.LocalTime, UpstreamTime.LocalTime(local));
        SetOr(upstream, terminal, DataElements.LocalDate, UpstreamTime.LocalDate(local));
        if (hasTrack2)
        {
            upstream.Set(DataElements.ExpirationDate, track2.Expiry);
        }
        else
        {
            upstream.CopyFrom(terminal, DataElements.ExpirationDate);
        }

        SetOr(upstream, terminal, DataElements.PosEntryMode, hasTrack2 ? EntryModeTrack2 : EntryModeKeyed);
        upstream.Set(DataElements.AcquirerId, stamp.AcquirerId);
        upstream.CopyFrom(terminal, DataElements.Track2);
        upstream.Set(DataElements.RetrievalReference, stamp.RetrievalReference);
        upstream.CopyFrom(terminal, DataElements.TerminalId);
        upstream.CopyFrom(terminal, DataElements.CardAcceptorId);
        upstream.CopyFrom(terminal, DataElements.CardAcceptorLocation);
        upstream.CopyFrom(terminal, DataElements.Currency);
        if (!stamp.PinBlock.IsEmpty)
        {
            upstream.Set(DataElements.PinBlock, stamp.PinBlock.Span);
        }

        return upstream;
    }

    /// <summary>
    /// The 0420 (0421 for a retry) that reverses <see cref="UpstreamReversal.Original"/>: its DE 2, 3, 4 (the original
    /// amount), 32, 37 (the original's RRN), 41, 49; a new DE 7 and 11; DE 39 the reason; DE 90 naming the original
    /// (MTI, DE 11, DE 7, DE 32); DE 95 with the dispensed amount for a partial reversal.
    /// </summary>
    public static IsoMessage ReversalAdvice(UpstreamReversal reversal)
    {
        ArgumentNullException.ThrowIfNull(reversal);
        var advice = Advice(reversal.IsRepeat ? MessageTypes.ReversalAdviceRepeat : MessageTypes.ReversalAdvice, reversal, nameof(reversal));
        if (reversal.DispensedAmount is { } dispensed)
        {
            advice.Set(DataElements.ReplacementAmounts, ReplacementAmounts.Format(dispensed));
        }

        return advice;
    }

    /// <summary>
    /// The 0220 (0221 for a retry) that tells the issuer of a withdrawal approved in stand-in (PROTOCOL.md §15.18): as the
    /// 0420 names its original — DE 2, 3, 4, 32, 37 (the RRN the terminal got), 41, 49, a new DE 7 and 11, DE 90 — with DE
    /// 38 the acquirer's authorization id and DE 39 "00". Never a PIN block or track data.
    /// </summary>
    /// <param name="approval">The approval's values; its <see cref="UpstreamReversal.Reason"/> is the DE 39 the terminal got (00).</param>
    /// <param name="authorizationId">DE 38 the acquirer gave the terminal.</param>
    public static IsoMessage StandInAdvice(UpstreamReversal approval, string authorizationId)
    {
        ArgumentNullException.ThrowIfNull(approval);
        ArgumentException.ThrowIfNullOrEmpty(authorizationId);
        var advice = Advice(approval.IsRepeat ? MessageTypes.FinancialAdviceRepeat : MessageTypes.FinancialAdvice, approval, nameof(approval));
        advice.Set(DataElements.AuthorizationId, authorizationId);
        return advice;
    }

    /// <summary>What an 0420 and an 0220 share: the original named by its DE 2, 3, 4, 32, 37, 41, 49 and DE 90, a new DE 7 and 11, DE 39.</summary>
    private static IsoMessage Advice(int mti, UpstreamReversal values, string parameter)
    {
        var original = values.Original;
        if (!original.TryGetNumber(DataElements.Stan, out var originalStan) || original.GetString(DataElements.TransmissionDateTime) is not { } originalTime)
        {
            throw new ArgumentException("The original needs its DE 11 and DE 7.", parameter);
        }

        var advice = new IsoMessage { Mti = mti };
        advice.CopyFrom(original, DataElements.PrimaryAccountNumber);
        advice.CopyFrom(original, DataElements.ProcessingCode);
        advice.CopyFrom(original, DataElements.Amount);
        advice.Set(DataElements.TransmissionDateTime, UpstreamTime.TransmissionDateTime(values.Now));
        advice.SetNumber(DataElements.Stan, values.Stan);
        advice.CopyFrom(original, DataElements.AcquirerId);
        advice.CopyFrom(original, DataElements.RetrievalReference);
        advice.Set(DataElements.ResponseCode, values.Reason);
        advice.CopyFrom(original, DataElements.TerminalId);
        advice.CopyFrom(original, DataElements.Currency);
        var acquirerId = original.GetString(DataElements.AcquirerId) ?? "";
        advice.Set(DataElements.OriginalDataElements, new OriginalDataElements(original.Mti, (int)originalStan, originalTime, acquirerId).Format());
        return advice;
    }

    private static void SetOr(IsoMessage upstream, IsoMessage terminal, int field, string fallback)
    {
        if (terminal.Has(field))
        {
            upstream.CopyFrom(terminal, field);
        }
        else
        {
            upstream.Set(field, fallback);
        }
    }
}
