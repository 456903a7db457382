using System.Security.Cryptography;
using SocketAtm.Server.Ledger.KeyProtection;

namespace SocketAtm.Server.Tests.Ledger.KeyProtection;

/// <summary>
/// One key protector serves every thread of a host: on PostgreSQL, sessions read (and so decrypt) terminal keys
/// concurrently, while an admin command or a key exchange may encrypt new ones.
/// </summary>
public sealed class KeyProtectorTests
{
    [Fact]
    public void Keys_protected_and_unprotected_on_many_threads_at_once_all_come_back_intact()
    {
        using var protector = new KeyProtector(RandomNumberGenerator.GetBytes(KeyProtector.KeyEncryptionKeyLength));
        var keys = Enumerable.Range(0, 16).Select(_ => RandomNumberGenerator.GetBytes(16)).ToArray();
        var purposes = keys.Select((_, index) => KeyProtector.TerminalKeyPurpose($"ATM{index:D5}", "TPK")).ToArray();
        var stored = keys.Select((key, index) => protector.Protect(key, purposes[index])).ToArray();
        var failures = 0;

        // Dedicated threads, not pool tasks: the pool of a 2-core machine runs too few at once for calls to overlap often.
        var threads = Enumerable.Range(0, 4).Select(worker => new Thread(() =>
        {
            for (var round = 0; round < 50_000; round++)
            {
                var index = (worker + round) % keys.Length;
                try
                {
                    var again = round % 8 == 0
                        ? protector.Unprotect(protector.Protect(keys[index], purposes[index]), purposes[index])
                        : protector.Unprotect(stored[index], purposes[index]);
                    if (!again.AsSpan().SequenceEqual(keys[index]))
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
                catch (CryptographicException)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToList();
        threads.ForEach(thread => thread.Start());
        threads.ForEach(thread => thread.Join());

        Assert.Equal(0, failures);
    }
}
