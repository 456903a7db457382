using System.Diagnostics;
using SocketAtm.Client;
using SocketAtm.Load.Correctness;
using SocketAtm.Load.Measurement;

namespace SocketAtm.Load.Workloads;

/// <summary>A terminal driven through the client library, as an ATM would use it: balances, withdrawals, dispense reports.</summary>
internal sealed partial class LibraryLoadTerminal(AtmTerminalClient client, WorkloadContext context) : LoadTerminal
{
    private enum Dispense
    {
        All,
        GiveUp,
        Jam,
        Partial,
    }

    public override string TerminalId => client.TerminalId;

    /// <summary>Where answers are reported: the run's statistics, or during a CPU phase the phase's own.</summary>
    private RunStatistics Statistics => context.OffUs.PhaseStatistics ?? context.Statistics;

    public override Task RunOnceAsync(long intendedStart) => context.Workload switch
    {
        _ when context.OffUs.WithdrawalsOnly => WithdrawalAsync(intendedStart, Dispense.All),
        Workload.Balance => BalanceAsync(intendedStart),
        Workload.Withdrawal => WithdrawalAsync(intendedStart, Dispense.All),
        Workload.Mixed => MixedAsync(intendedStart),
        Workload.Echo => EchoAsync(intendedStart),
        _ => throw new InvalidOperationException($"Unknown workload {context.Workload}."),
    };

    /// <summary>The connection owns the terminal and closes it.</summary>
    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private Task MixedAsync(long intendedStart)
    {
        var shares = context.Shares;
        if (Random.Shared.NextDouble() < shares.Balance)
        {
            return BalanceAsync(intendedStart);
        }

        var pick = Random.Shared.NextDouble();
        var dispense = pick < shares.GiveUp ? Dispense.GiveUp
            : pick < shares.GiveUp + shares.Jam ? Dispense.Jam
            : pick < shares.GiveUp + shares.Jam + shares.PartialDispense ? Dispense.Partial
            : Dispense.All;
        return WithdrawalAsync(intendedStart, dispense);
    }

    /// <summary>A withdrawal with a fleet card (on-us), or with the issuer simulator's card (forwarded) for the not-on-us share.</summary>
    private Task WithdrawalAsync(long intendedStart, Dispense dispense) =>
        context.OffUs.NextIsOffUs() ? WithdrawOffUsAsync(intendedStart, dispense) : WithdrawAsync(intendedStart, dispense);

    private async Task EchoAsync(long intendedStart)
    {
        var result = await client.EchoAsync();
        if (result.ResponseCode is { } code)
        {
            Statistics.RecordAnswer("echo", code, intendedStart);
            if (code != "00")
            {
                Statistics.RecordError("echo answered " + code);
            }
        }
        else
        {
            Statistics.RecordTimeout("echo");
        }
    }

    private async Task BalanceAsync(long intendedStart)
    {
        var card = context.PickCard();
        var result = await client.BalanceAsync(context.Fleet.Pans[card], context.Fleet.Pin);
        switch (result)
        {
            case TransactionApproved approved:
                Statistics.RecordAnswer("balance", "00", intendedStart);
                context.Expected.Expect(KeyOf(approved.Trace), decided: true);
                break;
            case TransactionDeclined declined:
                Statistics.RecordAnswer("balance", declined.ResponseCode, intendedStart);
                Statistics.RecordError("balance answered " + declined.ResponseCode);
                context.Expected.Expect(KeyOf(declined.Trace), decided: !WorkloadContext.IsUnrecorded(declined.ResponseCode));
                break;
            case TransactionTimedOut timedOut:
                Statistics.RecordTimeout("balance");
                context.Expected.Expect(KeyOf(timedOut.Trace));
                break;
            default:
                Statistics.RecordError("balance not sent");
                break;
        }
    }

    private async Task WithdrawAsync(long intendedStart, Dispense dispense)
    {
        var card = context.PickCard();
        var amount = WorkloadContext.PickAmount();
        TransactionResult result;
        if (dispense == Dispense.GiveUp)
        {
            // Cancelled as soon as the call returns, which is once the request is on the wire: the terminal stops waiting
            // exactly as after a timeout, and the library reverses the withdrawal whatever became of it.
            using var giveUp = new CancellationTokenSource();
            var pending = client.WithdrawAsync(context.Fleet.Pans[card], context.Fleet.Pin, amount, cancellationToken: giveUp.Token);
            await giveUp.CancelAsync();
            try
            {
                result = await pending;
            }
            catch (OperationCanceledException)
            {
                Statistics.Count("withdrawal given up before it was sent");
                return;
            }
        }
        else
        {
            result = await client.WithdrawAsync(context.Fleet.Pans[card], context.Fleet.Pin, amount);
        }

        switch (result)
        {
            case TransactionApproved approved:
                Statistics.RecordAnswer("withdrawal", "00", intendedStart);
                context.Expected.Approved(card, amount);
                context.Expected.Expect(KeyOf(approved.Trace), decided: true);
                if (dispense is Dispense.Jam or Dispense.Partial)
                {
                    await ReportDispenseAsync(approved, card, dispense == Dispense.Jam ? 0 : amount / 2);
                }

                break;
            case TransactionDeclined declined:
                Statistics.RecordAnswer("withdrawal", declined.ResponseCode, intendedStart);
                if (WorkloadContext.IsUnexpectedDecline(declined.ResponseCode))
                {
                    Statistics.RecordError("withdrawal answered " + declined.ResponseCode);
                }

                context.Expected.Expect(KeyOf(declined.Trace), decided: !WorkloadContext.IsUnrecorded(declined.ResponseCode) && declined.ResponseCode != "96");
                TrackReversal(declined.Reversal, "after 96");
                break;
            case TransactionTimedOut timedOut:
                if (timedOut.Reason == NoResponseReason.Cancelled)
                {
                    Statistics.Count("withdrawal given up in flight (reversed)");
                }
                else
                {
                    Statistics.RecordTimeout("withdrawal");
                }

                context.Expected.Expect(KeyOf(timedOut.Trace));
                TrackReversal(timedOut.Reversal, timedOut.Reason == NoResponseReason.Cancelled ? "after give-up" : "after timeout");
                break;
            default:
                Statistics.RecordError("withdrawal not sent");
                break;
        }
    }

    private async Task ReportDispenseAsync(TransactionApproved approved, int card, long dispensed)
    {
        var started = Stopwatch.GetTimestamp();
        var reversal = await client.ReportDispenseAsync(approved, dispensed);
        var kind = dispensed == 0 ? "reversal (jam)" : "reversal (partial)";
        if (reversal.Outcome != ReversalOutcome.Acknowledged)
        {
            context.Expected.Unresolve();
            Statistics.RecordError(kind + " never acknowledged");
            return;
        }

        Statistics.RecordAnswer(kind, reversal.ResponseCode!, started);
        if (reversal.IsReversed)
        {
            context.Expected.Reversed(card, approved.Amount - dispensed);
        }
        else
        {
            Statistics.RecordError(kind + " answered " + reversal.ResponseCode);
        }

        if (reversal.Trace is { } trace)
        {
            context.Expected.Expect(KeyOf(trace), decided: !WorkloadContext.IsUnrecorded(reversal.ResponseCode!));
        }
    }

    /// <summary>A withdrawal the terminal did not see approved moves nothing once its reversal is acknowledged.</summary>
    private void TrackReversal(Task<ReversalResult>? reversal, string why)
    {
        if (reversal is null)
        {
            return;
        }

        context.Expected.Track(AwaitReversalAsync(reversal, why));
    }

    private async Task AwaitReversalAsync(Task<ReversalResult> reversal, string why)
    {
        var result = await reversal;
        if (result.Outcome != ReversalOutcome.Acknowledged)
        {
            context.Expected.Unresolve();
            Statistics.RecordError($"reversal {why} never acknowledged");
            return;
        }

        Statistics.Count($"reversal {why} answered {result.ResponseCode}");
        if (result.Trace is { } trace)
        {
            context.Expected.Expect(KeyOf(trace), decided: !WorkloadContext.IsUnrecorded(result.ResponseCode!));
        }
    }

    private string KeyOf(RequestTrace trace) => ExpectedLedger.KeyOf(TerminalId, trace.Stan, trace.TransmissionDateTime);
}
