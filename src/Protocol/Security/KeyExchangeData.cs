using System.Security.Cryptography;

namespace SocketAtm.Protocol.Security;

/// <summary>
/// The DE 48 value of a key exchange answer (0810, DE 70 = 161), 82 ASCII characters:
/// <c>TPK</c>, the new TPK under the TMK (32 hex), its KCV (6 hex), <c>TAK</c>, the new TAK under the TMK (32 hex),
/// its KCV (6 hex). KCVs are of the clear keys, so the terminal can confirm what it unwrapped.
/// </summary>
public static class KeyExchangeData
{
    /// <summary>Length of the DE 48 value in characters.</summary>
    public const int Length = 2 * SectionLength;

    private const int TagLength = 3;
    private const int WrappedHexLength = 2 * KeyWrapping.KeyLength;
    private const int SectionLength = TagLength + WrappedHexLength + KeyCheckValue.HexLength;

    private static ReadOnlySpan<byte> PinKeyTag => "TPK"u8;

    private static ReadOnlySpan<byte> MacKeyTag => "TAK"u8;

    /// <summary>Writes the 82-character DE 48 value that carries <paramref name="pinKey"/> and <paramref name="macKey"/> under <paramref name="masterKey"/>.</summary>
    public static void Write(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> pinKey, ReadOnlySpan<byte> macKey, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Length, nameof(destination));
        WriteSection(masterKey, PinKeyTag, pinKey, destination[..SectionLength]);
        WriteSection(masterKey, MacKeyTag, macKey, destination[SectionLength..Length]);
    }

    /// <summary>
    /// Reads a DE 48 key exchange value: checks the layout, unwraps both keys under <paramref name="masterKey"/> and
    /// checks each against its KCV. Hex digits may be either case.
    /// </summary>
    /// <returns>False when the layout is wrong or a KCV does not match; both destinations are then cleared.</returns>
    public static bool TryRead(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> value, Span<byte> pinKey, Span<byte> macKey)
    {
        DoubleLengthKey.Validate(masterKey, nameof(masterKey));
        ArgumentOutOfRangeException.ThrowIfLessThan(pinKey.Length, KeyWrapping.KeyLength, nameof(pinKey));
        ArgumentOutOfRangeException.ThrowIfLessThan(macKey.Length, KeyWrapping.KeyLength, nameof(macKey));
        var ok = value.Length == Length
            && TryReadSection(masterKey, PinKeyTag, value[..SectionLength], pinKey[..KeyWrapping.KeyLength])
            && TryReadSection(masterKey, MacKeyTag, value[SectionLength..], macKey[..KeyWrapping.KeyLength]);
        if (!ok)
        {
            CryptographicOperations.ZeroMemory(pinKey[..KeyWrapping.KeyLength]);
            CryptographicOperations.ZeroMemory(macKey[..KeyWrapping.KeyLength]);
        }

        return ok;
    }

    private static void WriteSection(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> tag, ReadOnlySpan<byte> key, Span<byte> destination)
    {
        Span<byte> wrapped = stackalloc byte[KeyWrapping.KeyLength];
        KeyWrapping.Wrap(masterKey, key, wrapped);
        tag.CopyTo(destination);
        AsciiHex.Encode(wrapped, destination[TagLength..]);
        KeyCheckValue.WriteHex(key, destination[(TagLength + WrappedHexLength)..]);
    }

    private static bool TryReadSection(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> tag, ReadOnlySpan<byte> section, Span<byte> key)
    {
        Span<byte> wrapped = stackalloc byte[KeyWrapping.KeyLength];
        if (!section.StartsWith(tag) || !AsciiHex.TryDecode(section.Slice(TagLength, WrappedHexLength), wrapped))
        {
            return false;
        }

        KeyWrapping.Unwrap(masterKey, wrapped, key);
        return KeyCheckValue.Matches(key, section[(TagLength + WrappedHexLength)..]);
    }
}
