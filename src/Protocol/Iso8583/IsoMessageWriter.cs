using System.Buffers.Binary;

namespace SocketAtm.Protocol.Iso8583;

/// <summary>Encodes an <see cref="IsoMessage"/>: MTI, binary bitmap(s), then the data elements in order.</summary>
public static class IsoMessageWriter
{
    /// <summary>Number of bytes <see cref="Write"/> will produce for <paramref name="message"/>.</summary>
    public static int GetEncodedLength(IsoMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var length = 4 + 8 + (message.HasSecondaryBitmap ? 8 : 0);
        foreach (var field in message.Fields)
        {
            length += FieldTable.Get(field).PrefixDigits + message.Get(field).Length;
        }

        return length;
    }

    /// <summary>Writes <paramref name="message"/> into <paramref name="destination"/>, which must hold <see cref="GetEncodedLength"/> bytes.</summary>
    /// <returns>The number of bytes written.</returns>
    public static int Write(IsoMessage message, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Mti is < 0 or > 9999)
        {
            throw new InvalidOperationException("The message has no MTI.");
        }

        WriteDigits(destination[..4], message.Mti);
        var primary = ToWireBitmap(message.PresentLow, firstField: 1);
        var secondary = ToWireBitmap(message.PresentHigh, firstField: 65);
        if (secondary != 0)
        {
            primary |= 1UL << 63;
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination.Slice(4, 8), primary);
        var offset = 12;
        if (secondary != 0)
        {
            BinaryPrimitives.WriteUInt64BigEndian(destination.Slice(offset, 8), secondary);
            offset += 8;
        }

        foreach (var field in message.Fields)
        {
            var value = message.Get(field);
            var prefix = FieldTable.Get(field).PrefixDigits;
            if (prefix > 0)
            {
                WriteDigits(destination.Slice(offset, prefix), value.Length);
                offset += prefix;
            }

            value.CopyTo(destination[offset..]);
            offset += value.Length;
        }

        return offset;
    }

    /// <summary>Encodes into a new array. Allocates; for tests, tools and documentation.</summary>
    public static byte[] ToArray(IsoMessage message)
    {
        var bytes = new byte[GetEncodedLength(message)];
        Write(message, bytes);
        return bytes;
    }

    /// <summary>The presence mask keeps DE n at bit (n - first); the wire puts DE first at the most significant bit.</summary>
    private static ulong ToWireBitmap(ulong presence, int firstField)
    {
        ulong wire = 0;
        while (presence != 0)
        {
            var bit = System.Numerics.BitOperations.TrailingZeroCount(presence);
            presence &= presence - 1;
            var field = firstField + bit;
            if (field != 1)
            {
                wire |= 1UL << (63 - bit);
            }
        }

        return wire;
    }

    private static void WriteDigits(Span<byte> destination, int value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }
}
