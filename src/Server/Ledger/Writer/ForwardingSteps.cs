using SocketAtm.Protocol.Masking;
using SocketAtm.Server.Ledger.Acquiring;
using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Ledger.Rules;

namespace SocketAtm.Server.Ledger.Writer;

/// <summary>
/// The writer's side of acquiring (<see cref="ForwardingRules"/> decide): forwards a request of a card not on file, and
/// records what happened to it upstream, each in the batch of its request, so that an outcome completes only once its batch
/// is durable — the forward is journaled and stored as pending before the request leaves, and the issuer's answer (or the
/// give-up) is durable before the terminal hears it. Part of <see cref="RequestProcessor"/>.
/// </summary>
internal static class ForwardingSteps
{
    /// <summary>
    /// Journals <paramref name="request"/> as forwarded (with the RRN assigned now) and stores its record as pending, its PAN
    /// sealed; the outcome says forward it (response code 91, the answer should the caller not). Nothing is applied.
    /// </summary>
    public static LedgerOutcome Forward(
        LedgerRequest request, string key, string panDigest, ForwardingIntent intent, ILedgerUnitOfWork unit, DateTimeOffset now)
    {
        var sequences = unit.Sequences;
        var outcome = new LedgerOutcome
        {
            ResponseCode = ResponseCodes.IssuerUnavailable,
            RetrievalReference = sequences.NextRetrievalReference(),
            AccountType = request.AccountType,
            Currency = request.Currency,
        };
        var maskedPan = SensitiveData.MaskPan(request.Pan);
        var journalId = sequences.NextJournalId();
        unit.AddJournal(new JournalRecord
        {
            Id = journalId,
            AtUnixMilliseconds = now.ToUnixTimeMilliseconds(),
            Key = key,
            Mti = request.Mti,
            Kind = request.Kind,
            Disposition = JournalDisposition.Forwarded,
            TerminalId = request.Key.TerminalId,
            MaskedPan = maskedPan,
            Amount = request.Amount,
            ResponseCode = outcome.ResponseCode,
            RetrievalReference = outcome.RetrievalReference,
            Upstream = new UpstreamEntry(intent.Route, outcome.RetrievalReference, 0),
        });
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
            DecidedAtUnixMilliseconds = now.ToUnixTimeMilliseconds(),
            Forwarding = ForwardingRules.Pending(intent, request, unit.SealPan(key, request.Pan)),
        });
        return outcome with { Forwarding = ForwardingStatus.Forward };
    }

    /// <summary>What a repeat of <paramref name="stored"/> is told: its stored answer, or to wait while it is pending upstream.</summary>
    public static ForwardingStatus RepeatStatus(IdempotencyRecord stored) =>
        stored.Forwarding is { State: ForwardState.Pending } ? ForwardingStatus.Wait : ForwardingStatus.None;

    /// <summary>
    /// <paramref name="originalAfter"/> with the PAN of <paramref name="reversal"/> sealed again, when the terminal's reversal
    /// made a reversal owed upstream and the record no longer held it (deleted when the original was answered).
    /// </summary>
    public static IdempotencyRecord SealedIfOwed(IdempotencyRecord originalAfter, LedgerRequest reversal, ILedgerUnitOfWork unit) =>
        originalAfter.Forwarding is { IsReversalOwed: true, SealedPan: null } forwarding && !string.IsNullOrEmpty(reversal.Pan)
            ? originalAfter with { Forwarding = forwarding with { SealedPan = unit.SealPan(originalAfter.Key, reversal.Pan) } }
            : originalAfter;

    /// <summary>
    /// Records an upstream step (<see cref="TransactionKind.UpstreamStep"/>) on the forwarded record of the step's key. The
    /// outcome is the record's stored answer after the step: <see cref="LedgerOutcome.IsReplay"/> false when the step changed
    /// the record, true when it was ignored (see <see cref="ForwardingRules"/>: an answer or give-up of a record no longer
    /// pending, an 0430 with no reversal owed or that does not acknowledge), journaled either way. A key with no forwarded
    /// record is answered 25 and nothing is journaled: there is no request to journal it under.
    /// </summary>
    public static LedgerOutcome Record(LedgerRequest step, string key, ILedgerUnitOfWork unit, DateTimeOffset now)
    {
        if (unit.FindIdempotency(key) is not { Forwarding: { } forwarding } record)
        {
            return new LedgerOutcome { ResponseCode = ResponseCodes.UnableToLocateOriginal, AccountType = step.AccountType, Currency = step.Currency };
        }

        var nowMs = now.ToUnixTimeMilliseconds();
        switch (step.Upstream)
        {
            case IssuerAnswer answer:
                var mti = Protocol.Vocabulary.MessageTypes.ResponseOf(record.Mti);
                if (ForwardingRules.Answer(record, answer, nowMs) is not var (answered, owes))
                {
                    return Ignored(record, forwarding, mti, answer.ResponseCode, answer.AuthorizationId, unit, now);
                }

                return Changed(answered, JournalDisposition.IssuerAnswered, mti, owes, unit, now);
            case UpstreamGiveUp:
                return ForwardingRules.GiveUp(record, nowMs) is { } givenUp
                    ? Changed(givenUp, JournalDisposition.GivenUp, record.Mti, 0, unit, now)
                    : record.Outcome with { IsReplay = true };
            case ReversalAcknowledgement acknowledgement:
                return ForwardingRules.Acknowledge(record, acknowledgement.ResponseCode) is { } reversed
                    ? Changed(reversed, JournalDisposition.ReversalAcknowledged, Protocol.Vocabulary.MessageTypes.ReversalAdviceResponse, 0, unit, now)
                    : Ignored(record, forwarding, Protocol.Vocabulary.MessageTypes.ReversalAdviceResponse, acknowledgement.ResponseCode, null, unit, now);
            case SafClaim claim:
                return SafRules.Claim(record, claim, nowMs) is { } claimed ? Stored(claimed, unit) : record.Outcome with { IsReplay = true };
            case SafAttemptResult result:
                return RecordSafResult(record, result, unit, now);
            case StandInDecision decision:
                return StandInSteps.Decide(record, decision, unit, now);
            case SafRetry:
                return SafRules.Retry(record) is { } requeued ? Stored(requeued, unit) : record.Outcome with { IsReplay = true };
            default:
                throw new ArgumentException($"An upstream step of kind {step.Upstream?.GetType().Name ?? "none"} is not one the ledger records.", nameof(step));
        }
    }

    /// <summary>
    /// An attempt's result: an acknowledgement is journaled as such, a refusal as <see cref="JournalDisposition.DeliveryRefused"/>;
    /// a retry only stores the entry's backoff (the journal would otherwise grow with every try of an unreachable issuer).
    /// </summary>
    private static LedgerOutcome RecordSafResult(IdempotencyRecord record, SafAttemptResult result, ILedgerUnitOfWork unit, DateTimeOffset now)
    {
        if (record.Forwarding?.OwedMessage is not { } message || SafRules.Result(record, result) is not { } after)
        {
            return record.Outcome with { IsReplay = true };
        }

        var advice = message == SafMessage.Advice;
        var mti = advice ? Protocol.Vocabulary.MessageTypes.FinancialAdviceResponse : Protocol.Vocabulary.MessageTypes.ReversalAdviceResponse;
        return SafRules.Classify(message, result.ResponseCode) switch
        {
            SafAnswer.Acknowledged when advice => Answered(after, JournalDisposition.AdviceAcknowledged, mti, result.ResponseCode!, unit, now),
            SafAnswer.Acknowledged => Changed(after, JournalDisposition.ReversalAcknowledged, mti, 0, unit, now),
            SafAnswer.Disputed => Answered(after, JournalDisposition.AdviceDisputed, mti, result.ResponseCode!, unit, now),
            SafAnswer.Refused => Answered(after, JournalDisposition.DeliveryRefused, mti, result.ResponseCode!, unit, now),
            _ => Stored(after, unit),
        };
    }

    /// <summary>An issuer's answer to an owed message, journaled with its DE 39 (the stored answer to the terminal is unchanged).</summary>
    private static LedgerOutcome Answered(
        IdempotencyRecord after, JournalDisposition disposition, int mti, string responseCode, ILedgerUnitOfWork unit, DateTimeOffset now)
    {
        unit.UpdateIdempotency(after);
        Journal(after, after.Forwarding!, disposition, mti, responseCode, null, 0, unit, now);
        return after.Outcome;
    }

    /// <summary>A change of the record's delivery state only: stored, not journaled.</summary>
    private static LedgerOutcome Stored(IdempotencyRecord after, ILedgerUnitOfWork unit)
    {
        unit.UpdateIdempotency(after);
        return after.Outcome;
    }

    internal static LedgerOutcome Changed(IdempotencyRecord after, JournalDisposition disposition, int mti, long owes, ILedgerUnitOfWork unit, DateTimeOffset now)
    {
        unit.UpdateIdempotency(after);
        Journal(after, after.Forwarding!, disposition, mti, after.Outcome.ResponseCode, after.Outcome.AuthorizationId, owes, unit, now);
        return after.Outcome;
    }

    /// <summary>An issuer's message that changes nothing, journaled with what it said; the stored answer is returned as a replay.</summary>
    private static LedgerOutcome Ignored(
        IdempotencyRecord record, ForwardingRecord forwarding, int mti, string responseCode, string? authorizationId, ILedgerUnitOfWork unit, DateTimeOffset now)
    {
        Journal(record, forwarding, JournalDisposition.UpstreamIgnored, mti, responseCode, authorizationId, 0, unit, now);
        return record.Outcome with { IsReplay = true };
    }

    private static void Journal(
        IdempotencyRecord record,
        ForwardingRecord forwarding,
        JournalDisposition disposition,
        int mti,
        string responseCode,
        string? authorizationId,
        long owes,
        ILedgerUnitOfWork unit,
        DateTimeOffset now) =>
        unit.AddJournal(new JournalRecord
        {
            Id = unit.Sequences.NextJournalId(),
            AtUnixMilliseconds = now.ToUnixTimeMilliseconds(),
            Key = record.Key,
            Mti = mti,
            Kind = record.Kind,
            Disposition = disposition,
            TerminalId = TerminalOf(record.Key),
            MaskedPan = record.MaskedPan,
            Amount = record.Amount,
            ResponseCode = responseCode,
            AuthorizationId = authorizationId,
            RetrievalReference = record.Outcome.RetrievalReference,
            Upstream = new UpstreamEntry(forwarding.Route, record.Outcome.RetrievalReference ?? string.Empty, owes),
        });

    private static string TerminalOf(string key) => RequestKey.Parse(key).TerminalId;
}
