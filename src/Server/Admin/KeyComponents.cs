using System.Buffers;
using System.Security.Cryptography;
using SocketAtm.Protocol.Security;

namespace SocketAtm.Server.Admin;

/// <summary>
/// A key entered as components, for split knowledge: each custodian holds one component and nobody the key, which is
/// the XOR of two or three of them. A component is 32 hex digits (a double-length key), optionally followed by its
/// 6-digit KCV, which is then checked; whitespace anywhere is ignored, since slips print keys in groups. Refusals name
/// the component and may show KCVs, never a key or a component.
/// </summary>
internal static class KeyComponents
{
    public const int Minimum = 2;

    public const int Maximum = 3;

    private const int KeyLength = 16;
    private const int KeyHexLength = 2 * KeyLength;

    /// <summary>Reads one component from <paramref name="text"/>; <paramref name="name"/> says which in a refusal.</summary>
    /// <exception cref="AdminException">Not a double-length key, or not the KCV given with it.</exception>
    public static byte[] Parse(ReadOnlySpan<char> text, string name)
    {
        Span<char> digits = stackalloc char[KeyHexLength + KeyCheckValue.HexLength];
        var count = 0;
        try
        {
            foreach (var c in text)
            {
                if (char.IsWhiteSpace(c))
                {
                    continue;
                }

                if (count == digits.Length)
                {
                    throw NotAComponent(name);
                }

                digits[count++] = c;
            }

            var key = new byte[KeyLength];
            if (count is not (KeyHexLength or KeyHexLength + KeyCheckValue.HexLength)
                || Convert.FromHexString(digits[..KeyHexLength], key, out _, out var written) != OperationStatus.Done
                || written != KeyLength)
            {
                throw NotAComponent(name);
            }

            RequireDoubleLength(key, name);
            if (count > KeyHexLength)
            {
                Span<byte> given = stackalloc byte[KeyCheckValue.HexLength];
                for (var i = 0; i < given.Length; i++)
                {
                    given[i] = (byte)char.ToUpperInvariant(digits[KeyHexLength + i]);
                }

                if (!KeyCheckValue.Matches(key, given))
                {
                    var computed = KeyCheckValue.ToHex(key);
                    CryptographicOperations.ZeroMemory(key);
                    throw new AdminException(
                        $"{name}: its KCV is {computed}, not the {System.Text.Encoding.ASCII.GetString(given)} given with it. Check the component's digits.");
                }
            }

            return key;
        }
        finally
        {
            digits.Clear();
        }
    }

    /// <summary>The key the components make: their XOR.</summary>
    /// <exception cref="AdminException">Fewer than 2 or more than 3 components, two identical ones, or a result that is no double-length key.</exception>
    public static byte[] Combine(IReadOnlyList<byte[]> components, string keyName)
    {
        ArgumentNullException.ThrowIfNull(components);
        if (components.Count is < Minimum or > Maximum)
        {
            throw new AdminException($"{keyName}: give {Minimum} or {Maximum} components, not {components.Count}.");
        }

        for (var i = 0; i < components.Count; i++)
        {
            for (var j = i + 1; j < components.Count; j++)
            {
                if (CryptographicOperations.FixedTimeEquals(components[i], components[j]))
                {
                    // Two equal components cancel out: the "key" would be known to whoever holds the third, or be zero.
                    throw new AdminException($"{keyName}: components {i + 1} and {j + 1} are identical; each custodian's component must be their own.");
                }
            }
        }

        var key = new byte[KeyLength];
        foreach (var component in components)
        {
            if (component.Length != KeyLength)
            {
                throw new AdminException($"{keyName}: a component is a double-length key of {KeyLength} bytes.");
            }

            for (var i = 0; i < KeyLength; i++)
            {
                key[i] ^= component[i];
            }
        }

        RequireDoubleLength(key, $"{keyName} (the components combined)");
        return key;
    }

    private static void RequireDoubleLength(byte[] key, string name)
    {
        if (key.AsSpan().IndexOfAnyExcept((byte)0) < 0)
        {
            throw new AdminException($"{name} is all zeros: not a key.");
        }

        if (CryptographicOperations.FixedTimeEquals(key.AsSpan(0, 8), key.AsSpan(8, 8)))
        {
            CryptographicOperations.ZeroMemory(key);
            throw new AdminException($"{name} has two equal halves: that is a single-length DES key, not a double-length one.");
        }
    }

    private static AdminException NotAComponent(string name) =>
        new($"{name} is not a double-length key: 32 hex digits, optionally followed by its 6-digit KCV.");
}
