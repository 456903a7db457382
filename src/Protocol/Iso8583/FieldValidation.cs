using System.Buffers;
using System.Runtime.CompilerServices;

namespace SocketAtm.Protocol.Iso8583;

/// <summary>Character-set rules of each <see cref="FieldType"/>, shared by the parser and the setters.</summary>
internal static class FieldValidation
{
    // Vectorized sets: a per-byte loop with a switch on the type cost more than the rest of a parse for track 2.
    private static readonly SearchValues<byte> AlphanumericBytes =
        SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz "u8);

    private static readonly SearchValues<byte> Track2Bytes = SearchValues.Create("0123456789=D"u8);

    /// <summary>Index of the first byte not allowed in <paramref name="type"/>, or -1.</summary>
    public static int IndexOfInvalid(FieldType type, ReadOnlySpan<byte> value) => type switch
    {
        FieldType.Numeric => ShortWords.AreDigits(value) ? -1 : value.IndexOfAnyExceptInRange((byte)'0', (byte)'9'),
        FieldType.AlphanumericSpecial => ShortWords.ArePrintable(value) ? -1 : value.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E),
        FieldType.Alphanumeric => value.IndexOfAnyExcept(AlphanumericBytes),
        FieldType.Track2 => value.IndexOfAnyExcept(Track2Bytes),
        FieldType.Binary => -1,

        // A type without rules allows nothing, as before: the first byte, if any, is refused.
        _ => value.IsEmpty ? -1 : 0,
    };

    /// <summary>True when every byte of <paramref name="value"/> is allowed in <paramref name="type"/>; the parser's fast walk.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsValid(FieldType type, ReadOnlySpan<byte> value) => type switch
    {
        FieldType.Numeric => ShortWords.AreDigits(value) || value.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0,
        FieldType.Binary => true,
        _ => IndexOfInvalid(type, value) < 0,
    };

    /// <summary>How a violation of <paramref name="type"/> is named in errors ("non-digit", …).</summary>
    public static string Describe(FieldType type) => type switch
    {
        FieldType.Numeric => "non-digit",
        FieldType.Alphanumeric => "non-alphanumeric",
        FieldType.AlphanumericSpecial => "non-printable",
        FieldType.Track2 => "invalid track 2 character",
        _ => "invalid byte",
    };
}
