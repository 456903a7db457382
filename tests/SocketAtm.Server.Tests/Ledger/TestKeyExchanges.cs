using SocketAtm.Server.Ledger;

namespace SocketAtm.Server.Tests.Ledger;

/// <summary>Key exchanges for tests that store pending keys directly: each one later than the one before, as a terminal's are.</summary>
internal static class TestKeyExchanges
{
    private static long _sequence;

    public static KeyExchangeRequest Next()
    {
        var sequence = Interlocked.Increment(ref _sequence);
        return new KeyExchangeRequest(DateTimeOffset.UnixEpoch.AddYears(56).AddSeconds(sequence), (int)(sequence % 1_000_000));
    }
}
