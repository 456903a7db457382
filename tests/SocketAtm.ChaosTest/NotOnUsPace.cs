using System.Diagnostics;

namespace SocketAtm.ChaosTest;

/// <summary>
/// Caps the not-on-us withdrawals at a rate across all terminals. The issuer simulator has one usable card, and the host
/// delivers a card's owed reversals one at a time, in order, about one a second (PROTOCOL.md §15.6): more reversals than
/// that on the one card would pile up in store-and-forward faster than any drain wait. A terminal refused a not-on-us
/// turn makes an on-us withdrawal instead.
/// </summary>
internal sealed class NotOnUsPace(double perSecond)
{
    private readonly long _interval = perSecond <= 0 ? long.MaxValue : (long)(Stopwatch.Frequency / perSecond);
    private long _next = Stopwatch.GetTimestamp();

    /// <summary>True when a not-on-us withdrawal may start now.</summary>
    public bool TryTake()
    {
        if (_interval == long.MaxValue)
        {
            return false;
        }

        var now = Stopwatch.GetTimestamp();
        var next = Interlocked.Read(ref _next);
        return now >= next && Interlocked.CompareExchange(ref _next, now + _interval, next) == next;
    }
}
