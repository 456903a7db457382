using System.Collections.Concurrent;
using SocketAtm.Client;

namespace SocketAtm.CrashTest;

/// <summary>
/// What the terminals saw, kept so the books can be checked against it: every approval (it must be on the books exactly
/// once), and per card how much money should have left, once every reversal the terminals sent is acknowledged.
/// </summary>
internal sealed class Expectations
{
    private readonly ConcurrentDictionary<string, long> _debits = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<(string TerminalId, RequestTrace Trace)> _approvals = [];
    private readonly ConcurrentBag<Task> _pendingReversals = [];
    private int _unresolved;
    private int _requests;
    private int _timeouts;
    private int _reversalsAcknowledged;

    public IReadOnlyCollection<(string TerminalId, RequestTrace Trace)> Approvals => _approvals;

    public int Requests => _requests;

    public int Timeouts => _timeouts;

    public int ReversalsAcknowledged => _reversalsAcknowledged;

    /// <summary>Reversals whose fate is unknown (abandoned): the books cannot be checked exactly while any remain.</summary>
    public int Unresolved => _unresolved;

    public long DebitOf(string pan) => _debits.GetValueOrDefault(pan);

    /// <summary>Accounts for one withdrawal and what the ATM then dispensed (the whole amount unless it jammed or ran short).</summary>
    public void Withdrawal(string pan, TransactionResult result, long dispensed, Task<ReversalResult>? dispenseReversal)
    {
        Interlocked.Increment(ref _requests);
        switch (result)
        {
            case TransactionApproved approved:
                _approvals.Add((approved.TerminalId, approved.Trace));
                if (dispenseReversal is null)
                {
                    Debit(pan, approved.Amount);
                }
                else
                {
                    _pendingReversals.Add(Settle(pan, dispenseReversal, debitWhenAcknowledged: dispensed));
                }

                break;
            case TransactionTimedOut:
                Interlocked.Increment(ref _timeouts);
                Track(pan, result);
                break;
            default:
                Track(pan, result);
                break;
        }
    }

    public void Other() => Interlocked.Increment(ref _requests);

    /// <summary>Waits until every reversal the terminals sent has been acknowledged or given up.</summary>
    public Task AllReversalsSettled() => Task.WhenAll(_pendingReversals);

    /// <summary>A request that was not approved but may have been applied: the terminal reverses it, which settles it at zero.</summary>
    private void Track(string pan, TransactionResult result)
    {
        if (result.Reversal is { } reversal)
        {
            _pendingReversals.Add(Settle(pan, reversal, debitWhenAcknowledged: 0));
        }
    }

    private async Task Settle(string pan, Task<ReversalResult> reversal, long debitWhenAcknowledged)
    {
        var outcome = await reversal;
        if (outcome.Outcome == ReversalOutcome.Abandoned)
        {
            Interlocked.Increment(ref _unresolved);
            return;
        }

        Interlocked.Increment(ref _reversalsAcknowledged);
        Debit(pan, debitWhenAcknowledged);
    }

    private void Debit(string pan, long amount) => _debits.AddOrUpdate(pan, amount, (_, debit) => debit + amount);
}
