using System.Collections.Concurrent;
using SocketAtm.Server.Ledger;

namespace SocketAtm.Load.Correctness;

/// <summary>
/// The money and the journal as the terminals saw them: per card, the approved withdrawals and the amounts reversed
/// after a jam or a partial dispense; per request key, whether the host must have decided it, and how many repeats and
/// duplicates it answered. A withdrawal the terminal gave up on moves nothing once its reversal is acknowledged, so it
/// counts only through its reversal, which must end; one that does not is unresolved and fails the check.
/// </summary>
internal sealed class ExpectedLedger
{
    private readonly long[] _approved;
    private readonly long[] _reversed;
    private readonly ConcurrentDictionary<string, KeyExpectation> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Task> _reversals = new();
    private long _unresolved;

    public ExpectedLedger(int cards)
    {
        _approved = new long[cards];
        _reversed = new long[cards];
    }

    public int Cards => _approved.Length;

    /// <summary>Reversals whose outcome is unknown: the terminal closed before the host acknowledged them.</summary>
    public long Unresolved => Interlocked.Read(ref _unresolved);

    public IReadOnlyDictionary<string, KeyExpectation> Keys => _keys;

    public static string KeyOf(string terminalId, int stan, string transmissionDateTime) =>
        new RequestKey(Fleet.Fleet.KeyedAcquirerId, terminalId, stan, transmissionDateTime).ToString();

    public void Approved(int card, long amount) => Interlocked.Add(ref _approved[card], amount);

    public void Reversed(int card, long amount) => Interlocked.Add(ref _reversed[card], amount);

    public long ApprovedOf(int card) => Interlocked.Read(ref _approved[card]);

    public long ReversedOf(int card) => Interlocked.Read(ref _reversed[card]);

    public long ExpectedBalance(int card, long opening) => opening - ApprovedOf(card) + ReversedOf(card);

    public void Unresolve() => Interlocked.Increment(ref _unresolved);

    /// <summary>Notes what the journal must hold for <paramref name="key"/>.</summary>
    public void Expect(string key, bool decided = false, int replays = 0, int duplicates = 0)
    {
        var expectation = _keys.GetOrAdd(key, static _ => new KeyExpectation());
        lock (expectation)
        {
            expectation.Decided |= decided;
            expectation.Replays += replays;
            expectation.Duplicates += duplicates;
        }
    }

    /// <summary>A reversal running in the background (after a give-up or a 96); the run waits for all of them.</summary>
    public void Track(Task reversal) => _reversals.Enqueue(reversal);

    /// <summary>Waits for every tracked reversal; false when some had not ended within <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForReversalsAsync(TimeSpan timeout)
    {
        try
        {
            await Task.WhenAll(_reversals.ToArray()).WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
