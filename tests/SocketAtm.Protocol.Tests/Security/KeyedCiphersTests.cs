using System.Security.Cryptography;
using SocketAtm.Protocol.Security;

namespace SocketAtm.Protocol.Tests.Security;

/// <summary>Reused, pooled transforms must give exactly what a fresh cipher gives, from any thread, in any order.</summary>
public class KeyedCiphersTests
{
    private static readonly byte[] Key = Convert.FromHexString("0123456789ABCDEFFEDCBA9876543210");

    [Fact]
    public void Triple_des_ecb_matches_a_fresh_cipher_both_ways()
    {
        var data = Convert.FromHexString("0123456789ABCDEF1122334455667788");
        var expected = FreshTripleDes(data, encrypt: true);
        var output = new byte[16];

        KeyedCiphers.TripleDesEcb(Key, encrypt: true, data, output);
        var roundTrip = new byte[16];
        KeyedCiphers.TripleDesEcb(Key, encrypt: false, output, roundTrip);

        Assert.Equal(expected, output);
        Assert.Equal(data, roundTrip);
    }

    [Fact]
    public void Mac_chain_is_reset_between_uses_so_a_repeated_computation_gives_the_same_mac()
    {
        var first = new byte[64];
        var second = new byte[72];
        RandomNumberGenerator.Fill(first);
        RandomNumberGenerator.Fill(second);
        var a = new byte[8];
        var b = new byte[8];
        var again = new byte[8];

        RetailMac.Compute(Key, first, a);
        RetailMac.Compute(Key, second, b);
        RetailMac.Compute(Key, first, again);

        Assert.Equal(a, again);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public async Task Many_threads_sharing_a_key_all_get_correct_results()
    {
        var blocks = Enumerable.Range(0, 64).Select(i => BitConverter.GetBytes((long)i * 7919)).ToArray();
        var expected = blocks.Select(block => FreshTripleDes(block, encrypt: true)).ToArray();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            var wrong = 0;
            var output = new byte[8];
            for (var round = 0; round < 2_000; round++)
            {
                var index = (round + worker) % blocks.Length;
                KeyedCiphers.TripleDesEcb(Key, encrypt: true, blocks[index], output);
                wrong += output.AsSpan().SequenceEqual(expected[index]) ? 0 : 1;
            }

            return wrong;
        })));

        Assert.All(results, wrong => Assert.Equal(0, wrong));
    }

    [Fact]
    public void A_key_that_is_not_double_length_is_refused()
    {
        Assert.Throws<ArgumentException>(() => KeyedCiphers.TripleDesEcb(new byte[8], encrypt: true, new byte[8], new byte[8]));
    }

    private static byte[] FreshTripleDes(byte[] data, bool encrypt)
    {
        using var cipher = TripleDES.Create();
        cipher.Key = [.. Key, .. Key.AsSpan(0, 8)];
        return encrypt ? cipher.EncryptEcb(data, PaddingMode.None) : cipher.DecryptEcb(data, PaddingMode.None);
    }
}
