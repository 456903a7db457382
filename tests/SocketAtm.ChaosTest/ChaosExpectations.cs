using System.Collections.Concurrent;
using SocketAtm.Client;

namespace SocketAtm.ChaosTest;

/// <summary>
/// What the terminals saw, kept so the books can be held to it (as the crash test's Expectations, with the not-on-us card
/// apart): every on-us approval (on the books exactly once), per on-us card the money that should have left, and the
/// not-on-us net (approved less reversed) the acquirer's book must add up to — once every reversal the terminals sent
/// is acknowledged.
/// </summary>
internal sealed class ChaosExpectations
{
    private readonly ConcurrentDictionary<string, long> _onUsDebits = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<(string TerminalId, RequestTrace Trace)> _onUsApprovals = [];
    private readonly ConcurrentBag<Task> _pendingReversals = [];
    private long _notOnUsNet;
    private int _requests;
    private int _notOnUsRequests;
    private int _notOnUsApprovals;
    private int _timeouts;
    private int _unresolved;
    private int _reversalsAcknowledged;

    public IReadOnlyCollection<(string TerminalId, RequestTrace Trace)> OnUsApprovals => _onUsApprovals;

    public int Requests => _requests;

    public int NotOnUsRequests => _notOnUsRequests;

    public int NotOnUsApprovals => _notOnUsApprovals;

    public int Timeouts => _timeouts;

    public int ReversalsAcknowledged => _reversalsAcknowledged;

    /// <summary>Reversals the terminals abandoned: their withdrawals cannot be accounted for exactly.</summary>
    public int Unresolved => _unresolved;

    /// <summary>What the not-on-us withdrawals moved as the terminals saw them, in minor units.</summary>
    public long NotOnUsNet => Interlocked.Read(ref _notOnUsNet);

    public long OnUsDebitOf(string pan) => _onUsDebits.GetValueOrDefault(pan);

    /// <summary>Accounts for one withdrawal and what the ATM then dispensed (the whole amount unless it jammed or ran short).</summary>
    public void Withdrawal(string pan, bool onUs, TransactionResult result, long dispensed, Task<ReversalResult>? dispenseReversal)
    {
        Interlocked.Increment(ref _requests);
        if (!onUs)
        {
            Interlocked.Increment(ref _notOnUsRequests);
        }

        switch (result)
        {
            case TransactionApproved approved:
                if (onUs)
                {
                    _onUsApprovals.Add((approved.TerminalId, approved.Trace));
                }
                else
                {
                    Interlocked.Increment(ref _notOnUsApprovals);
                }

                if (dispenseReversal is null)
                {
                    Debit(pan, onUs, approved.Amount);
                }
                else
                {
                    _pendingReversals.Add(Settle(pan, onUs, dispenseReversal, debitWhenAcknowledged: dispensed));
                }

                break;
            case TransactionTimedOut:
                Interlocked.Increment(ref _timeouts);
                Track(pan, onUs, result);
                break;
            default:
                Track(pan, onUs, result);
                break;
        }
    }

    /// <summary>Waits until every reversal the terminals sent has been acknowledged or given up.</summary>
    public Task AllReversalsSettled() => Task.WhenAll(_pendingReversals);

    /// <summary>A request not approved that may still have been applied: the terminal reverses it, which settles it at zero.</summary>
    private void Track(string pan, bool onUs, TransactionResult result)
    {
        if (result.Reversal is { } reversal)
        {
            _pendingReversals.Add(Settle(pan, onUs, reversal, debitWhenAcknowledged: 0));
        }
    }

    private async Task Settle(string pan, bool onUs, Task<ReversalResult> reversal, long debitWhenAcknowledged)
    {
        var outcome = await reversal;
        if (outcome.Outcome == ReversalOutcome.Abandoned)
        {
            Interlocked.Increment(ref _unresolved);
            return;
        }

        Interlocked.Increment(ref _reversalsAcknowledged);
        Debit(pan, onUs, debitWhenAcknowledged);
    }

    private void Debit(string pan, bool onUs, long amount)
    {
        if (onUs)
        {
            _onUsDebits.AddOrUpdate(pan, amount, (_, debit) => debit + amount);
        }
        else
        {
            Interlocked.Add(ref _notOnUsNet, amount);
        }
    }
}
