using System.Buffers.Binary;

namespace SocketAtm.Client.Link;

/// <summary>
/// What a response is matched on: DE 41 and DE 11 (PROTOCOL.md §12), never the STAN alone. DE 41 is 8 ASCII bytes, so
/// it packs into one number and the key needs no allocation.
/// </summary>
internal readonly record struct RequestKey(ulong Terminal, int Stan)
{
    /// <summary>DE 41 as it travels (8 bytes, space-padded) packed into a number.</summary>
    public static ulong PackTerminalId(ReadOnlySpan<byte> terminalIdField) =>
        terminalIdField.Length == 8 ? BinaryPrimitives.ReadUInt64BigEndian(terminalIdField) : 0;

    /// <summary>A terminal id (1–8 ASCII characters) padded with spaces as DE 41 carries it, packed into a number.</summary>
    public static ulong PackTerminalId(string terminalId)
    {
        Span<byte> field = stackalloc byte[8];
        field.Fill((byte)' ');
        for (var i = 0; i < terminalId.Length && i < 8; i++)
        {
            field[i] = (byte)terminalId[i];
        }

        return PackTerminalId(field);
    }
}
