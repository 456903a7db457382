using System.Security.Cryptography;

namespace SocketAtm.Protocol.Security;

/// <summary>
/// Working keys (TPK, TAK) travel encrypted under the terminal master key (TMK): Triple DES, ECB, no padding, each
/// 16-byte key as two blocks. This is the key transport of the 0800/0810 key exchange (DE 70 = 161).
/// </summary>
public static class KeyWrapping
{
    /// <summary>Length of a working key, wrapped or clear, in bytes.</summary>
    public const int KeyLength = DoubleLengthKey.Length;

    /// <summary>Encrypts the double-length <paramref name="workingKey"/> under <paramref name="masterKey"/>.</summary>
    public static void Wrap(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> workingKey, Span<byte> destination)
    {
        DoubleLengthKey.Validate(masterKey, nameof(masterKey));
        DoubleLengthKey.Validate(workingKey, nameof(workingKey));
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, KeyLength, nameof(destination));
        KeyedCiphers.TripleDesEcb(masterKey, encrypt: true, workingKey, destination[..KeyLength]);
    }

    /// <summary>Decrypts a working key wrapped under <paramref name="masterKey"/> into <paramref name="destination"/>.</summary>
    public static void Unwrap(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> wrappedKey, Span<byte> destination)
    {
        DoubleLengthKey.Validate(masterKey, nameof(masterKey));
        DoubleLengthKey.Validate(wrappedKey, nameof(wrappedKey));
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, KeyLength, nameof(destination));
        KeyedCiphers.TripleDesEcb(masterKey, encrypt: false, wrappedKey, destination[..KeyLength]);
    }

    /// <summary>
    /// Fills <paramref name="destination"/> with a fresh random double-length key: odd parity in every byte, two
    /// different halves, and no DES weak or semi-weak half, so every cipher in this namespace accepts it.
    /// </summary>
    public static void GenerateWorkingKey(Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, KeyLength, nameof(destination));
        var key = destination[..KeyLength];
        do
        {
            RandomNumberGenerator.Fill(key);
            for (var i = 0; i < key.Length; i++)
            {
                key[i] = WithOddParity(key[i]);
            }
        }
        while (key[..8].SequenceEqual(key[8..]) || IsWeakHalf(key[..8]) || IsWeakHalf(key[8..]));
    }

    /// <summary>Sets the least significant bit so the byte has an odd number of one bits, as DES keys conventionally do.</summary>
    private static byte WithOddParity(byte b) =>
        (byte)((b & 0xFE) | ((System.Numerics.BitOperations.PopCount((uint)(b & 0xFE)) & 1) ^ 1));

    private static bool IsWeakHalf(ReadOnlySpan<byte> half)
    {
        // The BCL checks take arrays; this one holds key material only for the duration of the check.
        var copy = half.ToArray();
        try
        {
#pragma warning disable CA5351 // Checking for DES weak keys is not using DES to protect data.
            return DES.IsWeakKey(copy) || DES.IsSemiWeakKey(copy);
#pragma warning restore CA5351
        }
        finally
        {
            CryptographicOperations.ZeroMemory(copy);
        }
    }
}
