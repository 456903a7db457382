using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace SocketAtm.Client.Link;

/// <summary>
/// Request timeouts without a timer per request: one periodic timer per clock walks the open links and fails every
/// request whose deadline has passed. Timeouts are therefore late by at most <see cref="Resolution"/>, and ten thousand
/// terminals cost one timer.
/// </summary>
internal sealed class DeadlineSweeper
{
    public static readonly TimeSpan Resolution = TimeSpan.FromMilliseconds(50);

    private static readonly ConditionalWeakTable<TimeProvider, DeadlineSweeper> Sweepers = new();

    private readonly ConcurrentDictionary<LinkSession, byte> _sessions = new();
    private readonly TimeProvider _time;

    // Held so the periodic timer lives as long as the sweeper, which lives as long as its clock.
    private readonly ITimer _timer;
    private int _sweeping;

    private DeadlineSweeper(TimeProvider time)
    {
        _time = time;
        _timer = time.CreateTimer(static state => ((DeadlineSweeper)state!).Sweep(), this, Resolution, Resolution);
    }

    /// <summary>The sweeper of <paramref name="time"/>, created on first use.</summary>
    public static DeadlineSweeper For(TimeProvider time) => Sweepers.GetValue(time, static t => new DeadlineSweeper(t));

    public void Watch(LinkSession session) => _sessions.TryAdd(session, 0);

    public void Forget(LinkSession session) => _sessions.TryRemove(session, out _);

    private void Sweep()
    {
        // A slow sweep must not overlap the next tick.
        if (Interlocked.Exchange(ref _sweeping, 1) == 1)
        {
            return;
        }

        try
        {
            var now = _time.GetTimestamp();
            foreach (var session in _sessions.Keys)
            {
                session.ExpireOverdue(now);
            }
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }
}
