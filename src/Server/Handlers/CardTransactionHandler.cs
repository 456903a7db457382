using SocketAtm.Protocol.Iso8583;
using SocketAtm.Server.Acquiring;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Acquiring;
using SocketAtm.Server.Security;
using SocketAtm.Server.Sessions;

namespace SocketAtm.Server.Handlers;

/// <summary>
/// Balance inquiry (0100/0200, DE 3 30xxxx/31xxxx) and cash withdrawal (0200, DE 3 01xxxx): checks what the format
/// alone can tell, verifies the CVV of a track 2 (DE 35) under the issuer's CVK, turns the PIN block into a candidate
/// PVV, and lets the ledger's writer decide and apply — comparing the track with the card on file among its card checks.
/// </summary>
/// <remarks>
/// DE 7 is checked against the host's clock here, but a request outside the window still goes to the ledger, marked
/// stale: only the writer knows whether a repeat (0101/0201) has a stored answer, which it gets whatever its age, and the
/// writer journals the refusal of every other stale request as a security event. A stale request's PIN block is not
/// verified, so that a replayed wrong PIN counts no try against the card. Stale requests are security violations the
/// <see cref="ThrottledViolations"/> count: once the terminal or its address is throttled, a stale original is answered 63
/// at once, and a stale repeat goes to the ledger marked throttled (it gets its stored answer if it has one, and its
/// refusal otherwise is not journaled on its own), so that a flood of replays costs no durable write each.
/// </remarks>
internal sealed class CardTransactionHandler : IMessageHandler
{
    private static readonly int[] WithdrawalMandatory = [DataElements.ProcessingCode, DataElements.Amount, DataElements.TransmissionDateTime, DataElements.Stan, DataElements.TerminalId, DataElements.Currency, DataElements.PinBlock];
    private static readonly int[] BalanceMandatory = [DataElements.ProcessingCode, DataElements.TransmissionDateTime, DataElements.Stan, DataElements.TerminalId, DataElements.PinBlock];
    private static readonly int[] WithdrawalMandatoryWithTrack2 = [.. WithdrawalMandatory, DataElements.Track2];
    private static readonly int[] BalanceMandatoryWithTrack2 = [.. BalanceMandatory, DataElements.Track2];
    private static readonly int[] Echoed = [DataElements.PrimaryAccountNumber, DataElements.ProcessingCode, DataElements.Amount, DataElements.TransmissionDateTime, DataElements.Stan, DataElements.LocalTime, DataElements.LocalDate, DataElements.AcquirerId, DataElements.TerminalId, DataElements.Currency];

    private readonly TransactionKind _kind;
    private readonly ILedger _ledger;
    private readonly PinVerifier _pins;
    private readonly TimeProvider _time;
    private readonly TimeSpan _transmissionWindow;
    private readonly bool _acceptWithoutTrack2;
    private readonly ThrottledViolations _violations;
    private readonly Acquirer? _acquirer;

    /// <param name="transmissionWindow">How far DE 7 may be from the host's clock (<see cref="TransmissionWindowOptions"/>).</param>
    /// <param name="acceptWithoutTrack2">
    /// False when the issuer refuses card requests without DE 35 (<see cref="Track2Options"/>): DE 35 is then mandatory,
    /// and a request without it is answered 30 by the dispatcher, which logs it.
    /// </param>
    /// <param name="violations">Counts stale requests as security violations, and says when they are throttled.</param>
    /// <param name="acquirer">Forwards cards of other issuers to their routes (PROTOCOL.md §15); null when the host acquires for none.</param>
    public CardTransactionHandler(
        TransactionKind kind,
        ILedger ledger,
        PinVerifier pins,
        TimeProvider time,
        TimeSpan transmissionWindow,
        ThrottledViolations violations,
        bool acceptWithoutTrack2 = true,
        Acquirer? acquirer = null)
    {
        _violations = violations;
        _acquirer = acquirer;
        _kind = kind;
        _ledger = ledger;
        _pins = pins;
        _time = time;
        _transmissionWindow = transmissionWindow;
        _acceptWithoutTrack2 = acceptWithoutTrack2;
    }

    public ReadOnlySpan<int> MandatoryFields => (_kind, _acceptWithoutTrack2) switch
    {
        (TransactionKind.Withdrawal, true) => WithdrawalMandatory,
        (TransactionKind.Withdrawal, false) => WithdrawalMandatoryWithTrack2,
        (_, true) => BalanceMandatory,
        _ => BalanceMandatoryWithTrack2,
    };

    public ReadOnlySpan<int> EchoedFields => Echoed;

    public bool IsFinancial => true;

    public async ValueTask HandleAsync(MessageContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        Track2Evidence? track2 = null;
        if (request.Has(DataElements.Track2))
        {
            // Read first, since no span of the request may be held across an await (though the CVK is served from memory,
            // read when the ledger opened, so this completes at once).
            var cvkRead = _ledger.GetCardVerificationKeyAsync(cancellationToken);
            var cvk = cvkRead.IsCompletedSuccessfully ? cvkRead.Result : await cvkRead;
            if (!RequestFields.TryReadTrack2(request, cvk.Key, out var evidence))
            {
                context.Answer(ResponseCodes.FormatError);
                return;
            }

            track2 = evidence;
        }

        var pan = CardFields.Pan(request);
        if (pan.Length is < 13 or > 19 || pan.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
        {
            context.Answer(ResponseCodes.FormatError);
            return;
        }

        if (RequestFields.FromAccount(request) is not { } accountType)
        {
            context.Answer(ResponseCodes.InvalidTransaction);
            return;
        }

        request.TryGetNumber(DataElements.Amount, out var amount);
        request.TryGetNumber(DataElements.Currency, out var currency);
        var panText = System.Text.Encoding.ASCII.GetString(pan);
        var now = _time.GetUtcNow();
        var isStale = !TransmissionTime.IsWithin(request.Get(DataElements.TransmissionDateTime), now, _transmissionWindow);
        var isRepeat = MessageTypes.IsRepeat(request.Mti);
        var throttled = false;
        if (isStale)
        {
            // An original is a violation whatever the ledger holds; a repeat only when it holds no answer for it.
            throttled = isRepeat ? _violations.IsThrottled(context) : _violations.StaleOriginal(context);
            if (throttled && !isRepeat)
            {
                context.Answer(ResponseCodes.SecurityViolation);
                return;
            }
        }

        var pin = isStale ? default : _pins.Verify(context.Terminal!, pan, request.Get(DataElements.PinBlock), now);

        // A card whose BIN routes to an issuer is forwarded unless the ledger holds it (then it is on-us); its PIN block is
        // translated now, while the request's fields may be read, and only ever reaches the issuer under the route's ZPK.
        Upstream.IssuerRoute? route = null;
        ForwardingIntent? intent = null;
        byte[]? zonePinBlock = null;
        StandInPinResult? standInPin = null;
        if (!isStale && _acquirer is not null && _acquirer.TryRoute(pan, now, out route, out intent))
        {
            zonePinBlock = _acquirer.TranslatePin(context.Terminal!, pan, request.Get(DataElements.PinBlock), route, now);
            standInPin = _acquirer.CheckStandInPin(context.Terminal!, pan, request.Get(DataElements.Track2), request.Get(DataElements.PinBlock), route, now);
        }

        var ledgerRequest = new LedgerRequest
        {
            Kind = _kind,
            Key = RequestFields.Key(request, context.Terminal!.TerminalId),
            Mti = request.Mti,
            Pan = panText,
            AccountType = accountType,
            Amount = amount,
            Currency = (int)currency,
            HasPinBlock = true,
            CandidatePvv = pin.CandidatePvv,
            PreviousKeyCandidatePvv = pin.PreviousKeyCandidatePvv,
            EncryptedPinBlock = pin.EncryptedPinBlock,
            PinVerificationKeyIndex = _pins.KeyIndex,
            PinKeyVersion = pin.KeyVersion,
            IsStale = isStale,
            IsThrottled = throttled,
            Track2 = track2,
            Upstream = intent,
            ReceivedAt = now,
        };

        var outcome = await _ledger.ExecuteAsync(ledgerRequest, context.Trace, cancellationToken);
        if (_acquirer is not null)
        {
            outcome = outcome.Forwarding switch
            {
                ForwardingStatus.Forward => await _acquirer.ForwardAsync(request, ledgerRequest.Key, route!, intent!, now, outcome, zonePinBlock, standInPin, context.Trace, cancellationToken),
                ForwardingStatus.Wait => await _acquirer.AwaitForwardedAsync(ledgerRequest.Key, outcome, cancellationToken),
                _ => outcome,
            };
        }

        if (isStale && isRepeat && !outcome.IsReplay && outcome.ResponseCode == ResponseCodes.SecurityViolation)
        {
            // Refused as stale (the only answer but its stored one a stale repeat gets): a violation after all.
            _violations.StaleRefused(context, journaled: !throttled);
        }

        ResponseFields.Apply(outcome, context.Response);
    }
}
