using System.Globalization;
using System.Text;

namespace SocketAtm.Protocol.Tests.Documentation;

/// <summary>
/// The one hex dump layout PROTOCOL.md uses: a 4-digit hex offset, 16 bytes in two groups of 8, and an ASCII column
/// in which bytes outside 0x20–0x7E show as '.'.
/// </summary>
internal static class HexDump
{
    private const int BytesPerLine = 16;

    public static string Format(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder();
        for (var lineStart = 0; lineStart < bytes.Length; lineStart += BytesPerLine)
        {
            var line = bytes[lineStart..Math.Min(lineStart + BytesPerLine, bytes.Length)];
            text.Append(lineStart.ToString("X4", CultureInfo.InvariantCulture)).Append("  ");
            for (var i = 0; i < BytesPerLine; i++)
            {
                text.Append(i < line.Length ? line[i].ToString("X2", CultureInfo.InvariantCulture) : "  ");
                text.Append(i == 7 ? "  " : " ");
            }

            text.Append(' ');
            foreach (var b in line)
            {
                text.Append(b is >= 0x20 and <= 0x7E ? (char)b : '.');
            }

            text.Append('\n');
        }

        return text.ToString();
    }
}
