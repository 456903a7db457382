using SocketAtm.Server.Ledger.Acquiring;
using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Ledger.Rules;

namespace SocketAtm.Server.Ledger.Writer;

/// <summary>
/// The writer's side of stand-in (<see cref="StandInRules"/> decide): a pending forwarded request whose route is
/// unavailable is decided by the acquirer within the issuer's limits. Its record becomes <see cref="ForwardState.StoodIn"/>
/// with the decision as its stored answer; an approval counts on the card's stand-in usage for the day, is journaled as
/// owed by the issuer (the book), and owes the issuer its advice (0220) — all in the one batch, durable before the
/// terminal hears it. Part of <see cref="ForwardingSteps"/>.
/// </summary>
internal static class StandInSteps
{
    public static LedgerOutcome Decide(IdempotencyRecord record, StandInDecision decision, ILedgerUnitOfWork unit, DateTimeOffset now)
    {
        if (record.Forwarding is not { State: ForwardState.Pending } forwarding)
        {
            // Answered or given up meanwhile (another host, the sweep): that stands.
            return record.Outcome with { IsReplay = true };
        }

        var terms = decision.Terms;
        var day = DailyUsageRecord.BusinessDay(now);
        var digest = record.PanDigest ?? string.Empty;
        var usage = unit.FindStandInUsage(forwarding.Route, digest, day) ?? new StandInUsageRecord(forwarding.Route, digest, day, 0, 0);
        var responseCode = StandInRules.Decide(terms, record.Kind, record.Amount, usage.Amount, usage.Count, forwarding.Currency);
        var approved = responseCode == ResponseCodes.Approved;
        var nowMs = now.ToUnixTimeMilliseconds();

        // Decided as the issuer's answer would be (a terminal reversal that came while it was pending then owes its
        // reversal), but by the acquirer, with its own authorization id, and never with balances it does not know.
        var (answered, owes) = ForwardingRules.Answer(record, new IssuerAnswer(responseCode, approved ? unit.Sequences.NextAuthorizationId() : null), nowMs)
            ?? throw new InvalidOperationException("A pending record took no answer.");
        var stoodIn = answered.Forwarding! with
        {
            State = ForwardState.StoodIn,
            AdviceOwedAtUnixMilliseconds = approved ? nowMs : null,

            // The advice carries DE 2: the PAN stays sealed until it is delivered.
            SealedPan = approved ? forwarding.SealedPan : answered.Forwarding!.SealedPan,
        };
        var after = answered with { Forwarding = stoodIn };
        if (approved)
        {
            unit.PutStandInUsage(usage with { Amount = usage.Amount + record.Amount, Count = usage.Count + 1 });
        }

        return ForwardingSteps.Changed(after, JournalDisposition.StoodIn, Protocol.Vocabulary.MessageTypes.ResponseOf(record.Mti), owes, unit, now);
    }
}
