namespace SocketAtm.Client;

/// <summary>
/// System trace audit numbers (DE 11) for one terminal: 1 … 999999, then 1 again (DE 7 is part of the idempotency key,
/// so a wrapped STAN does not collide). Safe to call from any number of threads at once.
/// </summary>
internal sealed class StanGenerator
{
    /// <summary>The largest STAN: DE 11 has 6 digits.</summary>
    public const int MaxStan = 999_999;

    private int _last;

    public StanGenerator(int first)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(first, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(first, MaxStan);
        _last = first - 1;
    }

    /// <summary>A first STAN drawn at random, so that runs started within the same second do not reuse (DE 7, DE 11).</summary>
    public static int RandomFirst() => Random.Shared.Next(1, MaxStan + 1);

    /// <summary>The next STAN.</summary>
    public int Next()
    {
        while (true)
        {
            var last = Volatile.Read(ref _last);
            var next = last >= MaxStan ? 1 : last + 1;
            if (Interlocked.CompareExchange(ref _last, next, last) == last)
            {
                return next;
            }
        }
    }
}
