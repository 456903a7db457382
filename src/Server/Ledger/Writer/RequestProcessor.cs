using System.Buffers.Binary;
using System.Text;
using Microsoft.Extensions.Logging;
using SocketAtm.Protocol.Security;
using SocketAtm.Protocol.Masking;
using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Ledger.Rules;
using SocketAtm.Server.Security;

namespace SocketAtm.Server.Ledger.Writer;

/// <summary>
/// Takes one request through idempotency, the rules and the unit of work: looks up what the rules need, asks them for
/// a decision, applies it, journals it and stores the outcome under the request's key. Runs on the store's single
/// writer, one batch at a time; the rules decide, this applies what they decided.
/// </summary>
/// <param name="pins">Verifies a PIN again when the session verified it under keys the ledger has since replaced.</param>
/// <param name="isStorageFailure">
/// The store's word on an exception thrown while deciding: true when it is the storage's (or the process's) failure,
/// which must reach the writer and fail the batch; false when only this request is at fault, which is answered 96.
/// </param>
internal sealed class RequestProcessor(int pinTryLimit, IssuerPinVerifiers pins, Func<Exception, bool> isStorageFailure, ILogger logger)
{
    public LedgerOutcome Process(LedgerRequest request, ILedgerUnitOfWork unit, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(unit);
        var key = request.Key.ToString();
        if (request.IsSecurityViolation)
        {
            return SecurityEvent(request, key, JournalDisposition.Rejected, ResponseCodes.SecurityViolation, "mac", unit, now);
        }

        if (request.IsViolationSummary)
        {
            // Not a security event of its own (each violation it sums up was counted when it came): only the row.
            return Unstored(request, key, JournalDisposition.Throttled, ResponseCodes.SecurityViolation, unit, now);
        }

        if (request.IsUnauthenticatedTerminal)
        {
            return SecurityEvent(request, key, JournalDisposition.Rejected, ResponseCodes.NotPermittedToTerminal, "unauthenticated_terminal", unit, now);
        }

        if (request.IsKeyEvent)
        {
            return Unstored(request, key, request.KeyEvent, ResponseCodes.Approved, unit, now);
        }

        if (request.Kind == TransactionKind.UpstreamStep)
        {
            // What happened upstream to a forwarded request, recorded on its record under its own key (ForwardingSteps).
            return ForwardingSteps.Record(request, key, unit, now);
        }

        var stored = unit.FindIdempotency(key);
        string? panDigest = null;
        if (stored is not null && request.IsRepeat && RepeatRules.IsRepeatOf(stored, request, panDigest = unit.PanDigest(request.Pan)))
        {
            // A repeat of a decided request is answered as decided, however late it comes: that is what makes a lost
            // answer safe to recover, and it repeats a decision rather than making one. One of another kind, card or
            // amount only shares the key: it goes on to be refused (63 when stale, else 94), never told "approved".
            return Replay(request, key, stored, unit, now);
        }

        if (request.IsStale)
        {
            // Anything else with a DE 7 outside the window is refused before it can be decided (or called a duplicate):
            // a replay of an old request must neither move money nor use up its key. When its terminal or address is
            // throttled, the refusal is counted in the aggregated row instead of a row of its own.
            if (request.IsThrottled)
            {
                return new LedgerOutcome { ResponseCode = ResponseCodes.SecurityViolation, AccountType = request.AccountType, Currency = request.Currency };
            }

            return SecurityEvent(request, key, JournalDisposition.Stale, ResponseCodes.SecurityViolation, "stale_transmission", unit, now);
        }

        if (stored is not null)
        {
            return Duplicate(request, key, unit, now);
        }

        panDigest ??= unit.PanDigest(request.Pan);
        CardRecord? card = null;
        IdempotencyRecord? original = null;
        Acquiring.ForwardingIntent? forward = null;
        LedgerDecision decision;
        try
        {
            switch (request.Kind)
            {
                case TransactionKind.Reversal:
                    original = request.OriginalKey is { } originalKey ? unit.FindIdempotency(originalKey.ToString()) : null;
                    if (original is not null
                        && ReversalRules.Match(original, panDigest, SensitiveData.MaskPan(request.Pan), request.Amount) is var match and not ReversalMatch.Matches)
                    {
                        // Not this original's reversal (a forgery, or a terminal's mistake): refused before it can restore
                        // anything, mark the original reversed, or use up its own key, so the genuine reversal still can.
                        return match == ReversalMatch.OtherCard
                            ? SecurityEvent(request, key, JournalDisposition.Mismatched, ResponseCodes.UnableToLocateOriginal, "reversal_pan_mismatch", unit, now)
                            : SecurityEvent(request, key, JournalDisposition.Mismatched, ResponseCodes.OriginalAmountIncorrect, "reversal_amount_mismatch", unit, now);
                    }

                    decision = original?.Forwarding is not null
                        ? ForwardingRules.DecideTerminalReversal(original, request, now.ToUnixTimeMilliseconds())
                        : DecideReversal(request, original, unit);
                    break;
                case TransactionKind.Withdrawal or TransactionKind.BalanceInquiry
                    when unit.FindReversalMarker(key) is { } marker && marker.Refuses(panDigest, request.Amount):
                    // The terminal reversed this request before it got here: it has given up on it, so it must not apply.
                    decision = LedgerDecision.Declined(ResponseCodes.DuplicateTransmission);
                    break;
                case TransactionKind.Withdrawal or TransactionKind.BalanceInquiry
                    when ForwardingRules.IntentToForward(card = unit.FindCardByPan(request.Pan), request) is { } intent:
                    // Not on file, and the caller has a route for it: the issuer decides, not these rules.
                    forward = intent;
                    decision = LedgerDecision.Declined(ResponseCodes.IssuerUnavailable);
                    break;
                case TransactionKind.Withdrawal:
                    card = unit.FindCardByPan(request.Pan);
                    request = UnderCurrentKeys(request, card, unit);
                    decision = WithdrawalRules.Decide(
                        card, AccountsOf(card, unit), UsageOf(card, now, unit), request, now, pinTryLimit);
                    break;
                case TransactionKind.BalanceInquiry:
                    card = unit.FindCardByPan(request.Pan);
                    request = UnderCurrentKeys(request, card, unit);
                    decision = BalanceInquiryRules.Decide(card, AccountsOf(card, unit), request, now, pinTryLimit);
                    break;
                default:
                    decision = LedgerDecision.Declined(ResponseCodes.InvalidTransaction);
                    break;
            }
        }
        catch (Exception exception) when (!isStorageFailure(exception))
        {
            // A defect in deciding this one request must not take its batch down: answer 96, store nothing, so that a
            // repeat is decided afresh.
            LedgerLog.DecisionFailed(logger, exception);
            return Failed(request, key, unit, now);
        }

        if (forward is not null)
        {
            return ForwardingSteps.Forward(request, key, panDigest, forward, unit, now);
        }

        if (decision.SecurityEvent is { } reason)
        {
            // A counterfeit track 2: refused before the card's state was looked at, so nothing changed; nothing is stored
            // under its key either, so that the genuine card's request with that key is still decided.
            return SecurityEvent(request, key, JournalDisposition.Counterfeit, decision.ResponseCode, reason, unit, now, card?.Id);
        }

        return Apply(request, key, panDigest, decision, card, original, unit, now);
    }

    /// <summary>
    /// The request with its PIN verified under the terminal's keys as this batch reads them, and under the PVK of the
    /// card's PVKI. The session verified it under the keys of its cached terminal record; when another host (or a
    /// concurrent exchange) has replaced them since, a correct PIN under the new keys failed there and must not be counted
    /// wrong, nor a PIN under keys no longer valid pass: so a PIN try is only ever counted against keys that are current in
    /// the ledger. The session also computed its candidates under the PVK new cards are issued under; a card issued under
    /// another PVKI is verified again under that one. When the issuer holds no PVK for the card's PVKI the request is
    /// left as it came, and the card checks answer 96 without counting a try.
    /// </summary>
    private LedgerRequest UnderCurrentKeys(LedgerRequest request, CardRecord? card, ILedgerUnitOfWork unit)
    {
        if (card is null)
        {
            return request;
        }

        if (request.EncryptedPinBlock is not { } encrypted)
        {
            // No PIN block of a PIN block's length: no key makes a PIN of it, under whichever PVK (a wrong PIN).
            return card.Pvki == request.PinVerificationKeyIndex ? request : request with { PinVerificationKeyIndex = card.Pvki };
        }

        var keysChanged = unit.FindTerminalKeyVersion(request.Key.TerminalId) is { } version && version != request.PinKeyVersion;
        if ((!keysChanged && card.Pvki == request.PinVerificationKeyIndex) || unit.FindTerminal(request.Key.TerminalId) is not { } current)
        {
            return request;
        }

        if (pins.For(card.Pvki) is not { } verifier)
        {
            LedgerLog.NoPinVerificationKey(logger, card.Pvki, card.MaskedPan);
            return request;
        }

        if (keysChanged)
        {
            LedgerLog.PinVerifiedUnderNewerKeys(logger, request.Key.TerminalId, request.PinKeyVersion, current.KeyVersion);
        }

        Span<byte> pinBlock = stackalloc byte[PinBlock.Length];
        BinaryPrimitives.WriteUInt64BigEndian(pinBlock, encrypted);
        // The previous keys as valid when the session received the request, as it judged them.
        return request.WithPin(verifier.Verify(current, Encoding.ASCII.GetBytes(request.Pan), pinBlock, request.ReceivedAt)) with
        {
            PinVerificationKeyIndex = card.Pvki,
        };
    }

    private static LedgerDecision DecideReversal(LedgerRequest request, IdempotencyRecord? original, ILedgerUnitOfWork unit)
    {
        AccountRecord? account = null;
        DailyUsageRecord? usage = null;
        if (original is { IsReversible: true, AccountId: { } accountId, CardId: { } cardId })
        {
            account = unit.FindAccount(accountId);
            usage = unit.FindDailyUsage(cardId, original.UsageDay);
        }

        return ReversalRules.Decide(original, account, usage, request);
    }

    private static List<AccountRecord> AccountsOf(CardRecord? card, ILedgerUnitOfWork unit)
    {
        var accounts = new List<AccountRecord>(card?.Accounts.Count ?? 0);
        foreach (var link in card?.Accounts ?? [])
        {
            if (unit.FindAccount(link.AccountId) is { } account)
            {
                accounts.Add(account);
            }
        }

        return accounts;
    }

    private static DailyUsageRecord? UsageOf(CardRecord? card, DateTimeOffset now, ILedgerUnitOfWork unit) =>
        card is null ? null : unit.FindDailyUsage(card.Id, DailyUsageRecord.BusinessDay(now));

    private static LedgerOutcome Apply(
        LedgerRequest request,
        string key,
        string panDigest,
        LedgerDecision decision,
        CardRecord? card,
        IdempotencyRecord? original,
        ILedgerUnitOfWork unit,
        DateTimeOffset now)
    {
        if (decision.CardAfter is { } cardAfter)
        {
            unit.PutCard(cardAfter);
        }

        if (decision.Delta != 0)
        {
            unit.PutAccount(decision.Account!);
        }

        if (decision.UsageAfter is { } usageAfter)
        {
            unit.PutDailyUsage(usageAfter);
        }

        if (decision.OriginalAfter is { } originalAfter)
        {
            unit.UpdateIdempotency(ForwardingSteps.SealedIfOwed(originalAfter, request, unit));
        }

        if (decision.LeavesMarker && request.OriginalKey is { } originalKey)
        {
            LeaveMarker(originalKey.ToString(), key, panDigest, request.Amount, unit, now);
        }

        var sequences = unit.Sequences;
        var isCardApproval = decision.IsApproved && request.Kind != TransactionKind.Reversal;
        var account = decision.Account;
        var outcome = new LedgerOutcome
        {
            ResponseCode = decision.ResponseCode,
            AuthorizationId = isCardApproval ? sequences.NextAuthorizationId() : null,
            RetrievalReference = sequences.NextRetrievalReference(),
            AccountType = account?.Type ?? request.AccountType,
            LedgerBalance = account?.Balance,
            AvailableBalance = account?.Balance,
            Currency = account?.Currency ?? request.Currency,
        };

        var maskedPan = MaskedPanOf(request, original);
        var cardId = card?.Id ?? original?.CardId;
        var accountId = account?.Id ?? original?.AccountId;
        var journalId = sequences.NextJournalId();
        unit.AddJournal(new JournalRecord
        {
            Id = journalId,
            AtUnixMilliseconds = now.ToUnixTimeMilliseconds(),
            Key = key,
            Mti = request.Mti,
            Kind = request.Kind,
            Disposition = JournalDisposition.Decided,
            TerminalId = request.Key.TerminalId,
            MaskedPan = maskedPan,
            CardId = cardId,
            AccountId = accountId,
            Amount = request.Amount,
            Delta = decision.Delta,
            ResponseCode = outcome.ResponseCode,
            AuthorizationId = outcome.AuthorizationId,
            RetrievalReference = outcome.RetrievalReference,
            Upstream = decision.Upstream,
        });

        var debited = request.Kind == TransactionKind.Withdrawal && decision.IsApproved;
        unit.AddIdempotency(new IdempotencyRecord
        {
            Key = key,
            Kind = request.Kind,
            Mti = request.Mti,
            JournalId = journalId,
            Outcome = outcome,
            MaskedPan = maskedPan,
            PanDigest = panDigest,
            Amount = request.Amount,
            CardId = cardId,
            AccountId = accountId,
            AppliedAmount = debited ? -decision.Delta : 0,
            UsageDay = debited ? decision.UsageAfter?.Day ?? 0 : 0,
            DecidedAtUnixMilliseconds = now.ToUnixTimeMilliseconds(),
        });
        return outcome;
    }

    /// <summary>
    /// Remembers a reversal whose original is not known yet, with its PAN (digest) and amount, so that the original is
    /// refused only if it is the one reversed. A second reversal naming the same original with another PAN or amount
    /// leaves the marker refusing any original: one of the two may be forged, and not applying is the safe side.
    /// </summary>
    private static void LeaveMarker(string originalKey, string reversalKey, string panDigest, long amount, ILedgerUnitOfWork unit, DateTimeOffset now)
    {
        if (unit.FindReversalMarker(originalKey) is not { } marker)
        {
            unit.AddReversalMarker(new ReversalMarker(originalKey, reversalKey, now.ToUnixTimeMilliseconds(), panDigest, amount));
        }
        else if (marker.With(panDigest, amount) is var widened && !ReferenceEquals(widened, marker))
        {
            unit.UpdateReversalMarker(widened);
        }
    }

    private static LedgerOutcome Replay(LedgerRequest request, string key, IdempotencyRecord stored, ILedgerUnitOfWork unit, DateTimeOffset now)
    {
        var outcome = stored.Outcome with { IsReplay = true, Forwarding = ForwardingSteps.RepeatStatus(stored) };
        Journal(request, key, JournalDisposition.Replay, outcome, stored.MaskedPan, stored.CardId, unit, now);
        return outcome;
    }

    private static LedgerOutcome Duplicate(LedgerRequest request, string key, ILedgerUnitOfWork unit, DateTimeOffset now) =>
        Unstored(request, key, JournalDisposition.Duplicate, ResponseCodes.DuplicateTransmission, unit, now);

    private static LedgerOutcome Failed(LedgerRequest request, string key, ILedgerUnitOfWork unit, DateTimeOffset now) =>
        Unstored(request, key, JournalDisposition.Failed, ResponseCodes.SystemMalfunction, unit, now);

    /// <summary>A refusal journaled as a security event (counted by <paramref name="reason"/> once committed): nothing applied or stored.</summary>
    /// <param name="cardId">The card the request named, when it is on file, so that the card's journal shows the attempt.</param>
    private static LedgerOutcome SecurityEvent(
        LedgerRequest request,
        string key,
        JournalDisposition disposition,
        string responseCode,
        string reason,
        ILedgerUnitOfWork unit,
        DateTimeOffset now,
        long? cardId = null) =>
        Unstored(request, key, disposition, responseCode, unit, now, reason, cardId);

    private static LedgerOutcome Unstored(
        LedgerRequest request,
        string key,
        JournalDisposition disposition,
        string responseCode,
        ILedgerUnitOfWork unit,
        DateTimeOffset now,
        string? securityEvent = null,
        long? cardId = null)
    {
        var outcome = new LedgerOutcome
        {
            ResponseCode = responseCode,
            AccountType = request.AccountType,
            Currency = request.Currency,
            SecurityEvent = securityEvent,
        };
        Journal(request, key, disposition, outcome, SensitiveData.MaskPan(request.Pan), cardId, unit, now);
        return outcome;
    }

    private static void Journal(
        LedgerRequest request,
        string key,
        JournalDisposition disposition,
        LedgerOutcome outcome,
        string maskedPan,
        long? cardId,
        ILedgerUnitOfWork unit,
        DateTimeOffset now) =>
        unit.AddJournal(new JournalRecord
        {
            Id = unit.Sequences.NextJournalId(),
            AtUnixMilliseconds = now.ToUnixTimeMilliseconds(),
            Key = key,
            Mti = request.Mti,
            Kind = request.Kind,
            Disposition = disposition,
            TerminalId = request.Key.TerminalId,
            MaskedPan = maskedPan,
            CardId = cardId,
            Amount = request.Amount,
            ResponseCode = outcome.ResponseCode,
            AuthorizationId = outcome.AuthorizationId,
            RetrievalReference = outcome.RetrievalReference,
            Detail = request.Detail,
        });

    private static string MaskedPanOf(LedgerRequest request, IdempotencyRecord? original) =>
        string.IsNullOrEmpty(request.Pan) && original is not null ? original.MaskedPan : SensitiveData.MaskPan(request.Pan);
}
