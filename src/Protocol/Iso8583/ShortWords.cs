using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace SocketAtm.Protocol.Iso8583;

/// <summary>
/// Character-class checks for the short fields most of a message is made of (at most 16 bytes: dates, amounts, STAN,
/// terminal id), eight bytes at a time in a register. The vectorized span helpers are faster on long values but their call and
/// set-up cost more than the check itself on a 6-byte field. A false answer only means "not known to be all valid":
/// the caller then finds the exact bad byte, or the answer for other lengths, with the span helper.
/// </summary>
internal static class ShortWords
{
    private const ulong HighNibbles = 0xF0F0F0F0F0F0F0F0;
    private const ulong Threes = 0x3030303030303030;
    private const ulong Sixes = 0x0606060606060606;
    private const ulong HighBits = 0x8080808080808080;
    private const ulong Ones = 0x0101010101010101;
    private const ulong Sixties = 0x6060606060606060;
    private const ulong Spaces = 0x2020202020202020;

    /// <summary>True when <paramref name="value"/> is at most 16 bytes long and every byte is an ASCII digit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AreDigits(ReadOnlySpan<byte> value) => TryReadWords(value, Threes, out var first, out var last) && AreDigits(first) && AreDigits(last);

    /// <summary>True when <paramref name="value"/> is at most 16 bytes long and every byte is printable ASCII (0x20–0x7E).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool ArePrintable(ReadOnlySpan<byte> value) => TryReadWords(value, Spaces, out var first, out var last) && ArePrintable(first) && ArePrintable(last);

    /// <summary>
    /// A digit is 0x30–0x39: its high nibble is 3, and still 3 after adding 6 (0x3A–0x3F become 0x40–0x45). Adding 6 to
    /// bytes whose high nibble is 3 cannot carry into the next byte; if some high nibble is not 3 the first test fails
    /// anyway, so a carry there changes nothing.
    /// </summary>
    internal static bool AreDigits(ulong word) => (((word & HighNibbles) ^ Threes) | (((word + Sixes) & HighNibbles) ^ Threes)) == 0;

    /// <summary>
    /// Printable is 0x20–0x7E: the high bit is clear, adding 0x60 sets it (the byte is at least 0x20) and adding 1 does
    /// not (the byte is at most 0x7E). With every high bit clear neither sum carries into the next byte; when one is set
    /// the first test fails anyway.
    /// </summary>
    internal static bool ArePrintable(ulong word) =>
        ((word & HighBits) | (~(word + Sixties) & HighBits) | ((word + Ones) & HighBits)) == 0;

    /// <summary>
    /// The value as two words that together cover every byte: 8–16 bytes are the first and last eight (overlapping when
    /// shorter than 16); 4–7 bytes are the first and last four, each repeated in both halves of its word; 0–3 bytes are
    /// the first, middle and last byte over <paramref name="filler"/> (a valid byte of the class). False when longer.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryReadWords(ReadOnlySpan<byte> value, ulong filler, out ulong first, out ulong last)
    {
        if (value.Length >= 8)
        {
            first = BinaryPrimitives.ReadUInt64LittleEndian(value);
            last = BinaryPrimitives.ReadUInt64LittleEndian(value[^8..]);
            return value.Length <= 16;
        }

        if (value.Length >= 4)
        {
            first = BinaryPrimitives.ReadUInt32LittleEndian(value) * 0x1_0000_0001UL;
            last = BinaryPrimitives.ReadUInt32LittleEndian(value[^4..]) * 0x1_0000_0001UL;
            return true;
        }

        first = filler;
        if (!value.IsEmpty)
        {
            first = (filler & ~0xFF_FFFFUL) | value[0] | ((ulong)value[value.Length >> 1] << 8) | ((ulong)value[^1] << 16);
        }

        last = first;
        return true;
    }
}
