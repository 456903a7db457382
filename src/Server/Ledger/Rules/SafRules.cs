using SocketAtm.Server.Ledger.Acquiring;
using SocketAtm.Server.Ledger.Model;

namespace SocketAtm.Server.Ledger.Rules;

/// <summary>
/// The store-and-forward rules for the message a forwarded record owes its issuer (PROTOCOL.md §15.6): who may send it now
/// (a claim), what an attempt's result does to it, and an operator's retry. Each returns the record after, or null when it
/// changes nothing; the writer stores it (and journals what the issuer decided: an acknowledgement or a refusal).
/// </summary>
/// <remarks>
/// An issuer's 00 acknowledges the message, whoever claimed it (it is the issuer's word). No answer, 91 or 96 ask for a
/// retry after the worker's backoff. Any other DE 39 is a refusal: the message is kept as an exception for operators, not
/// retried until one asks, and never dropped. Only the claimant's own result releases its claim, so a host whose claim
/// was taken over (it stalled past the lease) cannot undo the new claimant's.
/// </remarks>
internal static class SafRules
{
    /// <summary>
    /// The card decisions an issuer may answer a stand-in advice with while booking it (PROTOCOL.md §15.18): it would have
    /// declined, but the cash is gone. Never 55: no PIN reaches the issuer in an advice.
    /// </summary>
    private static readonly HashSet<string> CardDecisions =
    [
        ResponseCodes.InvalidAmount, ResponseCodes.InvalidCardNumber, ResponseCodes.NoCreditAccount, ResponseCodes.LostCard,
        ResponseCodes.StolenCard, ResponseCodes.InsufficientFunds, ResponseCodes.NoCheckingAccount, ResponseCodes.NoSavingsAccount,
        ResponseCodes.ExpiredCard, ResponseCodes.SuspectedFraud, ResponseCodes.ExceedsAmountLimit, ResponseCodes.RestrictedCard,
        ResponseCodes.ExceedsFrequencyLimit, ResponseCodes.PinTriesExceeded,
    ];

    /// <summary>What an issuer's answer to an owed <paramref name="message"/> means for it (PROTOCOL.md §15.6, §15.18).</summary>
    public static SafAnswer Classify(SafMessage message, string? responseCode) => responseCode switch
    {
        ResponseCodes.Approved => SafAnswer.Acknowledged,
        null or ResponseCodes.IssuerUnavailable or ResponseCodes.SystemMalfunction => SafAnswer.Retry,
        _ when message == SafMessage.Advice && CardDecisions.Contains(responseCode) => SafAnswer.Disputed,
        _ => SafAnswer.Refused,
    };

    /// <summary>Claims the owed message for <paramref name="claim"/>'s host, counting the attempt; null when it is not claimable.</summary>
    public static IdempotencyRecord? Claim(IdempotencyRecord record, SafClaim claim, long nowUnixMilliseconds)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(claim);
        if (record.Forwarding is not { SafState: SafState.Queued } forwarding || !forwarding.Saf.IsClaimable(nowUnixMilliseconds))
        {
            return null;
        }

        var saf = forwarding.Saf with
        {
            Attempts = forwarding.Saf.Attempts + 1,
            ClaimedBy = claim.Claimant,
            ClaimedUntilUnixMilliseconds = claim.LeaseUntilUnixMilliseconds,
        };
        return record with { Forwarding = forwarding with { Saf = saf } };
    }

    /// <summary>
    /// Records an attempt's <paramref name="result"/>: an acknowledgement (reversed upstream, the sealed PAN deleted), a
    /// retry (claim released, next try at the worker's time; an attempt that never left the host is not counted) or a
    /// refusal (an exception). Null when nothing is owed any more, or the result is not the current claimant's.
    /// </summary>
    public static IdempotencyRecord? Result(IdempotencyRecord record, SafAttemptResult result)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(result);
        if (record.Forwarding is not { OwedMessage: { } message } forwarding)
        {
            return null;
        }

        var answer = Classify(message, result.ResponseCode);
        if (message == SafMessage.Advice && answer is SafAnswer.Acknowledged or SafAnswer.Disputed)
        {
            // Booked: the reversal owed after it, if any, starts its own tries (an 0420 first). The PAN stays sealed
            // only for that reversal.
            var booked = forwarding with
            {
                AdviceAcknowledged = result.ResponseCode,
                Saf = SafDelivery.None with { LastResult = result.Detail },
                SealedPan = forwarding.IsReversalOwed ? forwarding.SealedPan : null,
            };
            return record with { Forwarding = booked };
        }

        if (answer == SafAnswer.Acknowledged)
        {
            return ForwardingRules.Acknowledge(record, result.ResponseCode!) is { Forwarding: { } acknowledged } reversed
                ? reversed with { Forwarding = acknowledged with { Saf = Released(acknowledged.Saf, result.Detail) } }
                : null;
        }

        if (forwarding.Saf.ClaimedBy != result.Claimant)
        {
            return null;
        }

        var saf = Released(forwarding.Saf, result.Detail);
        saf = answer == SafAnswer.Retry
            ? saf with
            {
                Attempts = result.Sent ? saf.Attempts : Math.Max(0, saf.Attempts - 1),
                NextAttemptUnixMilliseconds = result.RetryAtUnixMilliseconds,
            }
            : saf with { RefusedWith = result.ResponseCode };
        return record with { Forwarding = forwarding with { Saf = saf } };
    }

    /// <summary>Puts an exception back in the queue, to be sent at once; null when the record holds no exception.</summary>
    public static IdempotencyRecord? Retry(IdempotencyRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Forwarding is not { SafState: SafState.Exception } forwarding)
        {
            return null;
        }

        return record with { Forwarding = forwarding with { Saf = forwarding.Saf with { RefusedWith = null, NextAttemptUnixMilliseconds = 0 } } };
    }

    private static SafDelivery Released(SafDelivery saf, string detail) =>
        saf with { ClaimedBy = null, ClaimedUntilUnixMilliseconds = 0, LastResult = detail };
}
