using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using SocketAtm.Protocol.Composites;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Security;
using SocketAtm.Server.Diagnostics;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Acquiring;
using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Security;
using SocketAtm.Server.Upstream;

namespace SocketAtm.Server.Acquiring;

/// <summary>
/// The host as acquirer (PROTOCOL.md §15): a terminal's request for a card of another issuer is journaled as forwarded
/// before it leaves, sent upstream over its route, and the terminal is answered only with what the ledger made durable
/// afterwards — the issuer's trusted answer, or 91 when there was none (then a withdrawal is reversed upstream by the
/// <see cref="SafSender"/>). A terminal's repeat never forwards again: it waits for the original's outcome.
/// </summary>
/// <remarks>
/// None of this runs in the ledger's writer: the wait for an issuer holds only the terminal's own request (and a slot of
/// its route's in-flight cap), never the writer or another terminal, so a slow or dead issuer costs on-us requests nothing.
/// </remarks>
internal sealed class Acquirer(
    IssuerRoutes routes,
    IAcquirerLedger ledger,
    IPinTranslator translator,
    ReversalSignal reversals,
    StandInPolicies standIn,
    TimeProvider time,
    ILogger<Acquirer> logger)
{
    /// <summary>How long past its route's budget a repeat waits for a forwarded original before it gives it up itself.</summary>
    public static readonly TimeSpan RepeatGrace = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan RepeatPollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan DefaultBudget = TimeSpan.FromSeconds(8);

    /// <summary>
    /// The route of <paramref name="pan"/>'s BIN and the intent to forward over it — its acquirer STAN and DE 7 chosen now,
    /// so that the ledger journals them before anything is sent. False when no route's BIN matches (the card is on-us, or 14).
    /// </summary>
    public bool TryRoute(ReadOnlySpan<byte> pan, DateTimeOffset now, [NotNullWhen(true)] out IssuerRoute? route, [NotNullWhen(true)] out ForwardingIntent? intent)
    {
        Span<char> digits = stackalloc char[PinBlock.MaxPanLength];
        var length = Math.Min(pan.Length, digits.Length);
        for (var i = 0; i < length; i++)
        {
            digits[i] = (char)pan[i];
        }

        if (!routes.TryFind(digits[..length], out var found))
        {
            route = null;
            intent = null;
            return false;
        }

        route = found;
        intent = new ForwardingIntent(found.Name, found.NextStan(), UpstreamTime.TransmissionDateTime(now));
        return true;
    }

    /// <summary>
    /// DE 52 re-encrypted from the terminal's PIN key to the route's ZPK (8 bytes, encrypted), or null when it decodes
    /// under none of the terminal's keys. Done before the ledger decides, while the request's fields may be read.
    /// </summary>
    public byte[]? TranslatePin(TerminalRecord terminal, ReadOnlySpan<byte> pan, ReadOnlySpan<byte> pinBlock, IssuerRoute route, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(terminal);
        ArgumentNullException.ThrowIfNull(route);
        var translated = new byte[PinBlock.Length];
        return translator.Translate(terminal.PinKeysAt(now), pan, pinBlock, route.ZonePinKey, translated) == PinTranslation.NotDecodable
            ? null
            : translated;
    }

    /// <summary>
    /// The customer's PIN checked for stand-in, when <paramref name="route"/> may be stood in for and is unavailable now
    /// (its link down or its breaker open): done before the ledger decides, like <see cref="TranslatePin"/>. Null when
    /// stand-in does not apply now (it is then not checked at all: a healthy route's issuer checks the PIN).
    /// </summary>
    public StandInPinResult? CheckStandInPin(
        TerminalRecord terminal, ReadOnlySpan<byte> pan, ReadOnlySpan<byte> track2, ReadOnlySpan<byte> pinBlock, IssuerRoute route, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(terminal);
        ArgumentNullException.ThrowIfNull(route);
        return route.Availability != RouteAvailability.Available && standIn.Covers(route.Name)
            ? standIn.CheckPin(route.Name, terminal.PinKeysAt(now), pan, track2, pinBlock)
            : null;
    }

    /// <summary>
    /// Sends the forwarded request (<paramref name="forwarded"/> says the ledger journaled it) and returns what the terminal
    /// is answered with, once the ledger has made it durable. Every step is recorded whatever happens to the terminal's
    /// connection meanwhile: the ledger steps are not cancelled.
    /// </summary>
    /// <param name="now">The time the intent's DE 7 was taken from: the upstream request carries the same.</param>
    /// <param name="zonePinBlock">From <see cref="TranslatePin"/>; null when the PIN block did not decode (answered 55, nothing sent).</param>
    /// <param name="standInPin">From <see cref="CheckStandInPin"/>: the PIN's check should the request be stood in for.</param>
    /// <param name="requestSpan">The terminal request's span, whose child the exchange's span is; null when it is not traced.</param>
    public async ValueTask<LedgerOutcome> ForwardAsync(
        IsoMessage terminalRequest,
        RequestKey key,
        IssuerRoute route,
        ForwardingIntent intent,
        DateTimeOffset now,
        LedgerOutcome forwarded,
        byte[]? zonePinBlock,
        StandInPinResult? standInPin,
        Activity? requestSpan,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(intent);
        ArgumentNullException.ThrowIfNull(forwarded);
        if (zonePinBlock is null)
        {
            // A block no key of the terminal decodes could only reach the issuer as a wrong PIN: said at once.
            AcquiringLog.PinNotTranslated(logger, route.Name, key.ToString());
            return await ledger.RecordIssuerAnswerAsync(key, new IssuerAnswer(ResponseCodes.IncorrectPin, null), CancellationToken.None);
        }

        var retrievalReference = forwarded.RetrievalReference
            ?? throw new InvalidOperationException("The ledger forwarded a request without assigning it an RRN.");
        var upstream = UpstreamRequests.Financial(terminalRequest, new UpstreamStamp(intent.AcquirerStan, now, retrievalReference, route.AcquirerId, zonePinBlock));
        var reply = requestSpan is null
            ? await route.ExchangeAsync(upstream, cancellationToken)
            : await TracedExchangeAsync(route, upstream, requestSpan, cancellationToken);
        switch (reply.Outcome)
        {
            case UpstreamOutcome.Answered:
                return await ledger.RecordIssuerAnswerAsync(key, IssuerAnswers.Read(reply.Answer!), CancellationToken.None);
            case UpstreamOutcome.NotSent:
                // Nothing left the host: the issuer knows nothing of it, so there is nothing to reverse. While the breaker
                // is open every request ends here, for as long as the issuer stays silent: its line is rate-limited (the
                // breaker logged its opening once; the journal and the not_sent metric keep every request).
                if (reply.NotSentReason is NotSentReason.NoSignedOnConnection or NotSentReason.BreakerOpen
                    && standIn.TermsFor(route.Name, standInPin ?? StandInPinResult.Unverifiable) is { } terms)
                {
                    return await StandInAsync(key, route, terminalRequest, terms, reply.NotSentReason);
                }

                if (reply.NotSentReason != NotSentReason.BreakerOpen || route.Context.ShouldLog("breaker", "not_sent"))
                {
                    AcquiringLog.NotSent(logger, route.Name, key.ToString(), reply.NotSentReason.ToString());
                }

                return await ledger.RecordIssuerAnswerAsync(key, new IssuerAnswer(ResponseCodes.IssuerUnavailable, null), CancellationToken.None);
            default:
                AcquiringLog.GaveUp(logger, route.Name, key.ToString(), retrievalReference, IssuerRoute.MaskedPan(upstream), reply.ToString());
                return await GiveUpAsync(key);
        }
    }

    /// <summary>The exchange with the issuer under a span of its own, for a traced terminal request only (the span's state costs an allocation).</summary>
    private static async ValueTask<UpstreamReply> TracedExchangeAsync(IssuerRoute route, IsoMessage upstream, Activity requestSpan, CancellationToken cancellationToken)
    {
        using var span = UpstreamTracing.Start(requestSpan, route.Name);
        var reply = await route.ExchangeAsync(upstream, cancellationToken);
        if (span is not null)
        {
            UpstreamTracing.Record(span, reply);
        }

        return reply;
    }

    /// <summary>
    /// A terminal's repeat of a request forwarded and still pending: waits for its outcome, reading the ledger (the original
    /// may be in flight on another host of the database). If it is still pending past its route's budget and
    /// <see cref="RepeatGrace"/> — its host stopped — the repeat gives it up itself: 91, and a withdrawal reversed upstream.
    /// </summary>
    public async ValueTask<LedgerOutcome> AwaitForwardedAsync(RequestKey key, LedgerOutcome waiting, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(waiting);
        while (true)
        {
            var forwarded = await ledger.FindForwardAsync(key, cancellationToken);
            if (forwarded is null)
            {
                return waiting;
            }

            if (forwarded.State != ForwardState.Pending)
            {
                return forwarded.Outcome;
            }

            var budget = routes.Find(forwarded.Route)?.Timeout ?? DefaultBudget;
            var age = time.GetUtcNow() - forwarded.ForwardedAt;
            if (age > budget + RepeatGrace)
            {
                AcquiringLog.SweptPending(logger, key.ToString(), age);
                return await GiveUpAsync(key);
            }

            await Task.Delay(RepeatPollInterval, time, cancellationToken);
        }
    }

    /// <summary>
    /// The route is unavailable and its issuer agreed to stand-in: the ledger decides within the terms, and an approval's
    /// advice is queued in the same commit; the SAF worker delivers it once the route is back.
    /// </summary>
    private async Task<LedgerOutcome> StandInAsync(RequestKey key, IssuerRoute route, IsoMessage terminalRequest, StandInTerms terms, NotSentReason why)
    {
        var pan = terminalRequest.GetString(DataElements.PrimaryAccountNumber)
            ?? (Track2.TryParse(terminalRequest.Get(DataElements.Track2), out var track2) ? System.Text.Encoding.ASCII.GetString(track2.Pan) : string.Empty);
        var outcome = await ledger.StandInAsync(key, terms, pan, CancellationToken.None);
        if (!outcome.IsReplay)
        {
            SafLog.StoodIn(logger, route.Name, key.ToString(), why.ToString(), outcome.ResponseCode);
            reversals.Wake();
        }

        return outcome;
    }

    private async Task<LedgerOutcome> GiveUpAsync(RequestKey key)
    {
        var outcome = await ledger.GiveUpAsync(key, CancellationToken.None);
        reversals.Wake();
        return outcome;
    }
}
