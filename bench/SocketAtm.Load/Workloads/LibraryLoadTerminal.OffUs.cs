using System.Diagnostics;
using SocketAtm.Client;
using SocketAtm.Load.Measurement;

namespace SocketAtm.Load.Workloads;

/// <summary>
/// The not-on-us withdrawals of a library terminal: the issuer simulator's rich card, which the host forwards to the
/// simulator. What the terminal saw approved, less what it had reversed, is tallied in <see cref="OffUsTraffic"/>; the
/// books comparison holds both books to it. Their request keys are not expected in the journal as decided on-us: the
/// acquirer journals a forwarded request its own way, and the books comparison checks it.
/// </summary>
internal sealed partial class LibraryLoadTerminal
{
    private const string OffUsKind = "withdrawal not on us";

    private async Task WithdrawOffUsAsync(long intendedStart, Dispense dispense)
    {
        var offUs = context.OffUs;
        TransactionResult result;
        if (dispense == Dispense.GiveUp)
        {
            // As on-us: the terminal stops waiting once the request is on the wire, and the library reverses it.
            using var giveUp = new CancellationTokenSource();
            var pending = client.WithdrawAsync(offUs.Card, offUs.Pin, OffUsTraffic.Amount, cancellationToken: giveUp.Token);
            await giveUp.CancelAsync();
            try
            {
                result = await pending;
            }
            catch (OperationCanceledException)
            {
                Statistics.Count(OffUsKind + " given up before it was sent");
                return;
            }
        }
        else
        {
            result = await client.WithdrawAsync(offUs.Card, offUs.Pin, OffUsTraffic.Amount);
        }

        switch (result)
        {
            case TransactionApproved approved:
                Statistics.RecordAnswer(OffUsKind, "00", intendedStart, TrafficClass.Forwarded);
                offUs.Approved(approved.Amount);
                if (dispense is Dispense.Jam or Dispense.Partial)
                {
                    await ReportOffUsDispenseAsync(approved, dispense == Dispense.Jam ? 0 : approved.Amount / 2);
                }

                break;
            case TransactionDeclined declined:
                Statistics.RecordAnswer(OffUsKind, declined.ResponseCode, intendedStart, TrafficClass.Forwarded);
                if (WorkloadContext.IsUnexpectedDecline(declined.ResponseCode))
                {
                    Statistics.RecordError(OffUsKind + " answered " + declined.ResponseCode);
                }

                TrackOffUsReversal(declined.Reversal, "after " + declined.ResponseCode);
                break;
            case TransactionTimedOut timedOut:
                if (timedOut.Reason == NoResponseReason.Cancelled)
                {
                    Statistics.Count(OffUsKind + " given up in flight (reversed)");
                }
                else
                {
                    Statistics.RecordTimeout(OffUsKind);
                }

                TrackOffUsReversal(timedOut.Reversal, timedOut.Reason == NoResponseReason.Cancelled ? "after give-up" : "after timeout");
                break;
            default:
                Statistics.RecordError(OffUsKind + " not sent");
                break;
        }
    }

    private async Task ReportOffUsDispenseAsync(TransactionApproved approved, long dispensed)
    {
        var started = Stopwatch.GetTimestamp();
        var reversal = await client.ReportDispenseAsync(approved, dispensed);
        var kind = dispensed == 0 ? "reversal (jam) not on us" : "reversal (partial) not on us";
        if (reversal.Outcome != ReversalOutcome.Acknowledged)
        {
            context.Expected.Unresolve();
            Statistics.RecordError(kind + " never acknowledged");
            return;
        }

        Statistics.RecordAnswer(kind, reversal.ResponseCode!, started, TrafficClass.Forwarded);
        if (reversal.IsReversed)
        {
            context.OffUs.Reversed(approved.Amount - dispensed);
        }
        else
        {
            Statistics.RecordError(kind + " answered " + reversal.ResponseCode);
        }
    }

    /// <summary>A forwarded withdrawal the terminal did not see approved moves nothing once its reversal is acknowledged.</summary>
    private void TrackOffUsReversal(Task<ReversalResult>? reversal, string why)
    {
        if (reversal is not null)
        {
            context.Expected.Track(AwaitOffUsReversalAsync(reversal, why));
        }
    }

    private async Task AwaitOffUsReversalAsync(Task<ReversalResult> reversal, string why)
    {
        var result = await reversal;
        if (result.Outcome != ReversalOutcome.Acknowledged)
        {
            context.Expected.Unresolve();
            Statistics.RecordError($"reversal not on us {why} never acknowledged");
            return;
        }

        Statistics.Count($"reversal not on us {why} answered {result.ResponseCode}");
    }
}
