using System.Security.Cryptography;

namespace SocketAtm.Protocol.Security;

/// <summary>
/// The key check value (KCV) that lets both ends confirm they hold the same key without revealing it:
/// the first 3 bytes of 8 zero bytes encrypted under the key, shown as 6 upper-case hex digits.
/// </summary>
public static class KeyCheckValue
{
    /// <summary>Length of the KCV in bytes.</summary>
    public const int Length = 3;

    /// <summary>Length of the KCV as hex text.</summary>
    public const int HexLength = 2 * Length;

    /// <summary>Writes the 3 KCV bytes of the double-length <paramref name="key"/>.</summary>
    public static void Compute(ReadOnlySpan<byte> key, Span<byte> destination)
    {
        DoubleLengthKey.Validate(key, nameof(key));
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Length, nameof(destination));
        Span<byte> block = stackalloc byte[DoubleLengthKey.BlockLength];
        block.Clear();
        KeyedCiphers.TripleDesEcb(key, encrypt: true, block, block);

        block[..Length].CopyTo(destination);
        CryptographicOperations.ZeroMemory(block);
    }

    /// <summary>Writes the KCV of <paramref name="key"/> as 6 upper-case ASCII hex digits.</summary>
    public static void WriteHex(ReadOnlySpan<byte> key, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, HexLength, nameof(destination));
        Span<byte> kcv = stackalloc byte[Length];
        Compute(key, kcv);
        AsciiHex.Encode(kcv, destination);
    }

    /// <summary>The KCV of <paramref name="key"/> as text, e.g. <c>08D7B4</c>. Safe to log: it does not reveal the key.</summary>
    public static string ToHex(ReadOnlySpan<byte> key)
    {
        Span<byte> text = stackalloc byte[HexLength];
        WriteHex(key, text);
        return System.Text.Encoding.ASCII.GetString(text);
    }

    /// <summary>True when <paramref name="hex"/> (6 ASCII hex digits, either case) is the KCV of <paramref name="key"/>.</summary>
    public static bool Matches(ReadOnlySpan<byte> key, ReadOnlySpan<byte> hex)
    {
        Span<byte> expected = stackalloc byte[Length];
        Span<byte> given = stackalloc byte[Length];
        if (hex.Length != HexLength || !AsciiHex.TryDecode(hex, given))
        {
            return false;
        }

        Compute(key, expected);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
