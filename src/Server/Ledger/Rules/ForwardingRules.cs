using SocketAtm.Server.Ledger.Acquiring;
using SocketAtm.Server.Ledger.Model;

namespace SocketAtm.Server.Ledger.Rules;

/// <summary>
/// The acquirer's rules for a request of a card not on file that it forwards to the card's issuer, and for what happens to
/// it upstream afterwards. Each rule takes the stored record and returns the record after, or null when it changes nothing;
/// the writer applies, journals and stores. Nothing here touches an account, a card or a daily usage: the money of an
/// acquired card is the issuer's, and the acquirer's book with the issuer is kept in the journal (<see cref="UpstreamEntry"/>).
/// </summary>
/// <remarks>
/// <para>A forwarded request moves from pending once: to answered (the issuer's answer is recorded) or to given up (91 to
/// the terminal, a reversal with reason 68 owed upstream), whichever is recorded first. The other then changes nothing:
/// an answer after a give-up, or a give-up after an answer, is ignored (the stored answer stands and is returned), and so
/// is a second answer. A late approval after a give-up needs nothing more: the owed 68 reversal already undoes it.</para>
/// <para>Exactly one reversal is ever owed per forwarded original. The terminal's reversal of an answered approval owes one
/// with reason 17 (the dispensed amount for a partial); of a pending one it is recorded, and the answer decides: an approval
/// then owes the 17 reversal, a give-up its 68 one. Of a given-up one it owes nothing more (the 68 reversal covers it). Of a
/// declined one, nothing, as for a declined on-us original. A second terminal reversal of the same original owes nothing.</para>
/// </remarks>
internal static class ForwardingRules
{
    /// <summary>
    /// The intent to forward <paramref name="request"/>, when it is to be forwarded: its card is not on file and it carries an
    /// intent, and its track 2 (if any) names DE 2's PAN (one that does not is refused 59 as a counterfeit, as on-us). The
    /// host cannot check an acquired card's CVV, expiry or PIN: that is the issuer's to decide.
    /// </summary>
    public static ForwardingIntent? IntentToForward(CardRecord? card, LedgerRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return card is null && request.Upstream is ForwardingIntent intent && request.Track2 is not { PanMatches: false } ? intent : null;
    }

    /// <summary>The upstream side of a request forwarded now: pending, with its PAN sealed for a reversal it may owe.</summary>
    public static ForwardingRecord Pending(ForwardingIntent intent, LedgerRequest request, string sealedPan)
    {
        ArgumentNullException.ThrowIfNull(intent);
        ArgumentNullException.ThrowIfNull(request);
        return new ForwardingRecord
        {
            Route = intent.Route,
            AcquirerStan = intent.AcquirerStan,
            AcquirerTransmission = intent.AcquirerTransmission,
            State = ForwardState.Pending,
            AccountType = request.AccountType,
            Currency = request.Currency,
            SealedPan = sealedPan,
        };
    }

    /// <summary>
    /// Records the issuer's <paramref name="answer"/> on a pending record: the record after, and by how much the issuer owes
    /// the acquirer more (the amount of an approved withdrawal, less what a reversal the terminal already asked for takes
    /// back). Null when the record is not pending: the answer is ignored.
    /// </summary>
    public static (IdempotencyRecord After, long IssuerOwes)? Answer(IdempotencyRecord record, IssuerAnswer answer, long nowUnixMilliseconds)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(answer);
        if (record.Forwarding is not { State: ForwardState.Pending } forwarding)
        {
            return null;
        }

        var approved = answer.IsApproved;
        var outcome = record.Outcome with
        {
            ResponseCode = answer.ResponseCode,
            AuthorizationId = approved ? answer.AuthorizationId : null,
            AccountType = answer.AccountType ?? forwarding.AccountType,
            LedgerBalance = answer.LedgerBalance,
            AvailableBalance = answer.AvailableBalance,
            Currency = answer.Currency ?? forwarding.Currency,
        };
        var owes = approved && record.Kind == TransactionKind.Withdrawal ? record.Amount : 0;
        var after = forwarding with { State = ForwardState.Answered };
        if (owes > 0 && forwarding.TerminalReversalKey is not null && ReversalRestores(record.Amount, forwarding.TerminalDispensed) is var restore and > 0)
        {
            // The terminal reversed it while it was pending: the approval it did not wait for is reversed upstream, once.
            after = after with
            {
                ReversalReason = ResponseCodes.CustomerCancellation,
                ReversalDispensed = forwarding.TerminalDispensed,
                ReversalOwedAtUnixMilliseconds = nowUnixMilliseconds,
            };
            owes -= restore;
        }

        // Answered with no reversal owed: nothing upstream needs the PAN again, unless the terminal reverses later (its 0400
        // carries DE 2, sealed again then).
        after = after.IsReversalOwed ? after : after with { SealedPan = null };
        return (record with { Outcome = outcome, Forwarding = after }, owes);
    }

    /// <summary>
    /// Gives up on a pending record: its stored answer becomes 91 (a repeat gets 91), and a full reversal with reason 68 is
    /// owed upstream — whether or not the issuer ever saw the request (it accepts a reversal of an original it never saw).
    /// Null when the record is not pending (already answered or given up): nothing changes.
    /// </summary>
    public static IdempotencyRecord? GiveUp(IdempotencyRecord record, long nowUnixMilliseconds)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Forwarding is not { State: ForwardState.Pending } forwarding)
        {
            return null;
        }

        // A balance inquiry moves no money, so nothing is reversed (PROTOCOL.md §15.5), and its PAN is no longer needed.
        if (record.Kind != TransactionKind.Withdrawal)
        {
            return record with
            {
                Outcome = record.Outcome with { ResponseCode = ResponseCodes.IssuerUnavailable, AuthorizationId = null },
                Forwarding = forwarding with { State = ForwardState.GivenUp, SealedPan = null },
            };
        }

        return record with
        {
            Outcome = record.Outcome with { ResponseCode = ResponseCodes.IssuerUnavailable, AuthorizationId = null },
            Forwarding = forwarding with
            {
                State = ForwardState.GivenUp,
                ReversalReason = ResponseCodes.ResponseReceivedTooLate,
                ReversalDispensed = null,
                ReversalOwedAtUnixMilliseconds = nowUnixMilliseconds,
            },
        };
    }

    /// <summary>
    /// Records the issuer's 0430 to the owed reversal: "00" acknowledges it (reversed upstream, the sealed PAN deleted). Null
    /// when no reversal is owed (none was, or it is acknowledged already) or the 0430 does not acknowledge (any other DE 39:
    /// the reversal stays owed and is sent again): nothing changes.
    /// </summary>
    public static IdempotencyRecord? Acknowledge(IdempotencyRecord record, string responseCode)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Forwarding is not { IsReversalOwed: true } forwarding || responseCode != ResponseCodes.Approved)
        {
            return null;
        }

        return record with { Forwarding = forwarding with { ReversalAcknowledged = responseCode, SealedPan = null } };
    }

    /// <summary>
    /// Decides the terminal's reversal (0400/0401, already matched to its original's card and DE 4) of a forwarded original
    /// (see the remarks on the class). The terminal is answered 00 whenever the acquirer accepts it; a dispensed amount above
    /// the original's is 13, as on-us, and changes nothing. The reversal's PAN is sealed again by the writer when the
    /// decision makes a reversal owed.
    /// </summary>
    public static LedgerDecision DecideTerminalReversal(IdempotencyRecord original, LedgerRequest reversal, long nowUnixMilliseconds)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(reversal);
        var forwarding = original.Forwarding ?? throw new ArgumentException("The original was not forwarded.", nameof(original));
        var book = new UpstreamEntry(forwarding.Route, original.Outcome.RetrievalReference ?? string.Empty, 0);
        if (original.Kind != TransactionKind.Withdrawal || forwarding.TerminalReversalKey is not null
            || (forwarding.State is ForwardState.Answered or ForwardState.StoodIn && !original.Outcome.IsApproved))
        {
            // Nothing to reverse (an inquiry, a declined original), or reversed by the terminal already: 00, nothing owed.
            return new LedgerDecision { ResponseCode = ResponseCodes.Approved, Upstream = book };
        }

        if (reversal.DispensedAmount > original.Amount)
        {
            return LedgerDecision.Declined(ResponseCodes.InvalidAmount);
        }

        // Zero dispensed is a full reversal, as on-us.
        var dispensed = reversal.DispensedAmount is null or 0 ? null : reversal.DispensedAmount;
        var marked = forwarding with { TerminalReversalKey = reversal.Key.ToString(), TerminalDispensed = dispensed };
        var restore = ReversalRestores(original.Amount, dispensed);
        // A stand-in approval is reversed upstream as an issuer's is, once its advice has told the issuer of it.
        if (forwarding.State is ForwardState.Answered or ForwardState.StoodIn && restore > 0)
        {
            marked = marked with
            {
                ReversalReason = ResponseCodes.CustomerCancellation,
                ReversalDispensed = dispensed,
                ReversalOwedAtUnixMilliseconds = nowUnixMilliseconds,
            };
            book = book with { Amount = -restore };
        }

        // Pending: the answer decides what is owed. Given up: its 68 reversal is the one owed. Either way recorded, so that a
        // second terminal reversal owes nothing and the answer knows the terminal gave up.
        return new LedgerDecision
        {
            ResponseCode = ResponseCodes.Approved,
            OriginalAfter = original with { ReversedByKey = reversal.Key.ToString(), Forwarding = marked },
            Upstream = book,
        };
    }

    /// <summary>What a reversal gives back of <paramref name="amount"/>: all of it, or what was not dispensed.</summary>
    private static long ReversalRestores(long amount, long? dispensed) => dispensed is { } paid ? amount - paid : amount;
}
