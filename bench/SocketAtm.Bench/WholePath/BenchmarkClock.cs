namespace SocketAtm.Bench.WholePath;

/// <summary>
/// The system clock, moved forward by whole days on request. A benchmark can run more withdrawals than a card's daily
/// count limit allows; moving to the next UTC business day gives the card a fresh day, as midnight would.
/// </summary>
internal sealed class BenchmarkClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    /// <summary>Moves the clock one day ahead.</summary>
    public void NextDay() => Interlocked.Add(ref _offsetTicks, TimeSpan.TicksPerDay);
}
