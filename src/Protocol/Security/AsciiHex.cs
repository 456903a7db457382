namespace SocketAtm.Protocol.Security;

/// <summary>Hexadecimal text as ASCII bytes, the way key material travels in DE 48: upper case out, either case in.</summary>
internal static class AsciiHex
{
    private static ReadOnlySpan<byte> Digits => "0123456789ABCDEF"u8;

    /// <summary>Writes two upper-case hex digits per byte of <paramref name="source"/>.</summary>
    public static void Encode(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        for (var i = 0; i < source.Length; i++)
        {
            destination[2 * i] = Digits[source[i] >> 4];
            destination[(2 * i) + 1] = Digits[source[i] & 0x0F];
        }
    }

    /// <summary>Decodes <paramref name="source"/> (an even number of hex digits) into <paramref name="destination"/>.</summary>
    /// <returns>False when the lengths do not match or a character is not a hex digit; <paramref name="destination"/> is then cleared.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (source.Length != 2 * destination.Length)
        {
            destination.Clear();
            return false;
        }

        for (var i = 0; i < destination.Length; i++)
        {
            var high = ValueOf(source[2 * i]);
            var low = ValueOf(source[(2 * i) + 1]);
            if ((high | low) < 0)
            {
                destination.Clear();
                return false;
            }

            destination[i] = (byte)((high << 4) | low);
        }

        return true;
    }

    private static int ValueOf(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        _ => -1,
    };
}
