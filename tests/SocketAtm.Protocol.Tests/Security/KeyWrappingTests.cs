using System.Numerics;
using System.Security.Cryptography;
using SocketAtm.Protocol.Security;

namespace SocketAtm.Protocol.Tests.Security;

public class KeyWrappingTests
{
    private static readonly byte[] DemoMasterKey = Convert.FromHexString("F72E4C31320DC7AA66EAEAB7FAA58FAD");
    private static readonly byte[] DemoPinKey = Convert.FromHexString("A13F766224F292F868D54D2CFAB1683A");

    [Fact]
    public void Wrapping_encrypts_each_key_half_as_one_triple_des_block()
    {
        using var cipher = TripleDES.Create();
        cipher.Key = [.. DemoMasterKey, .. DemoMasterKey[..8]]; // K1 K2 K1: OpenSSL refuses a 16-byte Triple DES key
        var expected = cipher.EncryptEcb(DemoPinKey[..8], PaddingMode.None)
            .Concat(cipher.EncryptEcb(DemoPinKey[8..], PaddingMode.None))
            .ToArray();

        var wrapped = new byte[KeyWrapping.KeyLength];
        KeyWrapping.Wrap(DemoMasterKey, DemoPinKey, wrapped);

        Assert.Equal(expected, wrapped);
    }

    [Fact]
    public void Unwrapping_returns_the_original_key()
    {
        var wrapped = new byte[KeyWrapping.KeyLength];
        var unwrapped = new byte[KeyWrapping.KeyLength];

        KeyWrapping.Wrap(DemoMasterKey, DemoPinKey, wrapped);
        KeyWrapping.Unwrap(DemoMasterKey, wrapped, unwrapped);

        Assert.NotEqual(DemoPinKey, wrapped);
        Assert.Equal(DemoPinKey, unwrapped);
    }

    [Fact]
    public void Generated_working_keys_have_odd_parity_distinct_halves_and_differ_each_time()
    {
        var seen = new HashSet<string>();
        for (var round = 0; round < 50; round++)
        {
            var key = new byte[KeyWrapping.KeyLength];
            KeyWrapping.GenerateWorkingKey(key);

            Assert.All(key, b => Assert.Equal(1, BitOperations.PopCount(b) % 2));
            Assert.NotEqual(key[..8], key[8..]);
            Assert.True(seen.Add(Convert.ToHexString(key)));
            Assert.Equal(6, KeyCheckValue.ToHex(key).Length); // usable as a Triple DES key
        }
    }

    [Fact]
    public void Keys_that_are_not_double_length_are_refused()
    {
        Assert.Throws<ArgumentException>(() => KeyWrapping.Wrap(DemoMasterKey.AsSpan(0, 8), DemoPinKey, new byte[16]));
        Assert.Throws<ArgumentException>(() => KeyWrapping.Wrap(DemoMasterKey, DemoPinKey.AsSpan(0, 8), new byte[16]));
        Assert.Throws<ArgumentException>(() => KeyWrapping.Unwrap(DemoMasterKey, new byte[24], new byte[16]));
    }
}
