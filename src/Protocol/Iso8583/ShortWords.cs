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
    private const ulong HighBits = 0x8080808080808080;
    private const ulong Zeros = 0x3030303030303030;
    private const ulong Spaces = 0x2020202020202020;

    // Per byte, what takes a byte of the class's low end (and only bytes from there up) to 0x80, and what takes the
    // first byte past its high end there: digits are 0x30-0x39, printable ASCII is 0x20-0x7E.
    private const ulong DigitLow = 0x5050505050505050;
    private const ulong DigitPastHigh = 0x4646464646464646;
    private const ulong PrintableLow = 0x6060606060606060;
    private const ulong PrintablePastHigh = 0x0101010101010101;

    /// <summary>True when <paramref name="value"/> is at most 16 bytes long and every byte is an ASCII digit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AreDigits(ReadOnlySpan<byte> value) =>
        TryReadWords(value, Zeros, out var first, out var last) && AreInRange(first, last, DigitLow, DigitPastHigh);

    /// <summary>True when <paramref name="value"/> is at most 16 bytes long and every byte is printable ASCII (0x20–0x7E).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool ArePrintable(ReadOnlySpan<byte> value) =>
        TryReadWords(value, Spaces, out var first, out var last) && AreInRange(first, last, PrintableLow, PrintablePastHigh);

    /// <summary>
    /// Every byte of both words is in the class: its high bit is clear, adding <paramref name="low"/> sets it (the byte
    /// is at least the low end) and adding <paramref name="pastHigh"/> does not (it is at most the high end). With every
    /// high bit clear no sum reaches 0x100, so nothing carries into the next byte; when one is set the answer is false
    /// whatever the sums carried.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool AreInRange(ulong first, ulong last, ulong low, ulong pastHigh) =>
        ((first | last | (first + pastHigh) | (last + pastHigh) | ~((first + low) & (last + low))) & HighBits) == 0;

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
