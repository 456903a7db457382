using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Security;

namespace SocketAtm.Protocol.Tests.Documentation;

/// <summary>The parts of PROTOCOL.md that are generated from code, by section name.</summary>
internal static class DocumentSections
{
    public static IReadOnlyDictionary<string, Func<string>> All { get; } = BuildAll();

    private static Dictionary<string, Func<string>> BuildAll()
    {
        var sections = new Dictionary<string, Func<string>>
        {
            ["field-table"] = FieldTableSection,
            ["demo-keys"] = DemoKeysSection,
            ["pin-block-example"] = PinBlockSection,
            ["demo-track2"] = DemoTrack2Section,
        };
        foreach (var example in ProtocolExamples.All)
        {
            sections["example:" + example.Name] = () => ExampleSection(example);
        }

        foreach (var (name, section) in Upstream.UpstreamDocumentSections.All)
        {
            sections.Add(name, section);
        }

        return sections;
    }

    private static string FieldTableSection()
    {
        var text = new StringBuilder();
        text.Append("| DE | Name | Format | On the wire |\n");
        text.Append("|---:|---|---|---|\n");
        foreach (var field in FieldTable.All)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {field.Number} | {field.Name} | {field.Notation} | {Encoding(field)} |\n");
        }

        return text.ToString();
    }

    private static string Encoding(FieldDefinition field)
    {
        var content = field.Type switch
        {
            FieldType.Numeric => "digits",
            FieldType.Alphanumeric => "letters, digits, spaces",
            FieldType.AlphanumericSpecial => "printable ASCII",
            FieldType.Binary => "raw bytes",
            _ => "digits and `=` or `D`",
        };
        return field.LengthType switch
        {
            LengthType.LlVar => $"2-digit length, then up to {field.MaxLength} {content}",
            LengthType.LllVar => $"3-digit length, then up to {field.MaxLength} {content}",
            _ => field.Type switch
            {
                FieldType.Numeric => $"{field.MaxLength} digits, right-justified, zero-filled",
                FieldType.Binary => $"{field.MaxLength} raw bytes",
                _ => $"{field.MaxLength} {content}, left-justified, space-filled",
            },
        };
    }

    private static string DemoKeysSection()
    {
        var text = new StringBuilder();
        text.Append("| Key | Value (hex) | KCV |\n");
        text.Append("|---|---|---|\n");
        AppendKey(text, "TMK (terminal master key, all demo terminals)", DemoKeys.MasterKeyHex);
        AppendKey(text, "TPK (PIN key, all demo terminals)", DemoKeys.PinKeyHex);
        AppendKey(text, "TAK (MAC key, all demo terminals)", DemoKeys.MacKeyHex);
        AppendKey(text, "PVK (PIN verification key, PVKI 1; host only)", DemoKeys.PinVerificationKeyHex);
        AppendKey(text, "CVK (card verification key pair, CVK A then CVK B; host only)", DemoKeys.CardVerificationKeyHex);
        return text.ToString();
    }

    /// <summary>
    /// The demo cards' track 2, as Fixtures' DemoCards writes them out (DemoDataFixturesTests in tests/SocketAtm.Server.Tests
    /// holds each to the host's seed, the demo PVK and the demo CVK), with its parts named.
    /// </summary>
    private static string DemoTrack2Section()
    {
        var text = new StringBuilder();
        text.Append("| PAN | Track 2 (DE 35) | Expiry | Service code | PVKI | PVV | CVV |\n");
        text.Append("|---|---|---|---|---|---|---|\n");
        foreach (var track in new[] { DemoCards.ActiveTrack2, DemoCards.PoorTrack2, DemoCards.ExpiredTrack2, DemoCards.RestrictedTrack2, DemoCards.RichTrack2 })
        {
            var separator = track.IndexOf('=', StringComparison.Ordinal);
            var rest = track[(separator + 1)..];
            text.Append(CultureInfo.InvariantCulture,
                $"| {track[..separator]} | `{track}` | {rest[..4]} | {rest[4..7]} | {rest[7]} | {rest[8..12]} | {rest[12..15]} |\n");
        }

        return text.ToString();
    }

    private static void AppendKey(StringBuilder text, string name, string hex) =>
        text.Append(CultureInfo.InvariantCulture, $"| {name} | `{hex}` | `{KeyCheckValue.ToHex(Convert.FromHexString(hex))}` |\n");

    private static string PinBlockSection()
    {
        // The two fields spelled out as text, independently of PinBlock, so the table shows the XOR step by step.
        var pinField = "0" + ProtocolExamples.DemoPin.Length.ToString("X1", CultureInfo.InvariantCulture) + ProtocolExamples.DemoPin.PadRight(14, 'F');
        var pan = ProtocolExamples.DemoPan;
        var panField = "0000" + pan[^13..^1];
        var clear = new byte[PinBlock.Length];
        PinBlock.FormatClear(System.Text.Encoding.ASCII.GetBytes(ProtocolExamples.DemoPin), System.Text.Encoding.ASCII.GetBytes(pan), clear);
        var xor = Convert.FromHexString(pinField);
        var panBytes = Convert.FromHexString(panField);
        for (var i = 0; i < xor.Length; i++)
        {
            xor[i] ^= panBytes[i];
        }

        if (!xor.AsSpan().SequenceEqual(clear))
        {
            throw new InvalidOperationException("PinBlock.FormatClear disagrees with the field-by-field XOR.");
        }

        var text = new StringBuilder();
        text.Append("| Step | Value (hex) |\n");
        text.Append("|---|---|\n");
        text.Append(CultureInfo.InvariantCulture, $"| PIN field: `0`, length `{ProtocolExamples.DemoPin.Length:X1}`, PIN `{ProtocolExamples.DemoPin}`, `F` filler | `{pinField}` |\n");
        text.Append(CultureInfo.InvariantCulture, $"| PAN field: `0000` + 12 digits of {pan} before its check digit | `{panField}` |\n");
        text.Append(CultureInfo.InvariantCulture, $"| Clear PIN block: PIN field XOR PAN field | `{Convert.ToHexString(clear)}` |\n");
        text.Append(CultureInfo.InvariantCulture, $"| DE 52: clear block encrypted under the demo TPK (3DES ECB) | `{Convert.ToHexString(ProtocolExamples.EncryptedDemoPinBlock())}` |\n");
        return text.ToString();
    }

    /// <summary>An example's hex dump and its field-by-field table (§14's and §15's layout).</summary>
    internal static string ExampleSection(ProtocolExample example)
    {
        var frame = example.Frame();
        var text = new StringBuilder();
        text.Append("```text\n").Append(HexDump.Format(frame)).Append("```\n\n");
        text.Append("| Offset | Bytes | Element | Value | Meaning |\n");
        text.Append("|---|---:|---|---|---|\n");

        var message = example.Message;
        var offset = 0;
        Row(text, ref offset, 2, "Length header", Convert.ToHexString(frame, 0, 2), $"{BinaryPrimitives.ReadUInt16BigEndian(frame)} bytes follow");
        Row(text, ref offset, 4, "MTI", message.Mti.ToString("D4", CultureInfo.InvariantCulture), example.MtiMeaning);
        Row(text, ref offset, 8, "Primary bitmap", Convert.ToHexString(frame, offset, 8), BitsSet(frame.AsSpan(offset, 8), 1));
        if (message.HasSecondaryBitmap)
        {
            Row(text, ref offset, 8, "Secondary bitmap", Convert.ToHexString(frame, offset, 8), BitsSet(frame.AsSpan(offset, 8), 65));
        }

        foreach (var field in message.Fields)
        {
            ref readonly var definition = ref FieldTable.Get(field);
            var value = message.Get(field);
            var shown = definition.Type == FieldType.Binary
                ? Convert.ToHexString(value)
                : System.Text.Encoding.ASCII.GetString(value);
            if (definition.PrefixDigits > 0)
            {
                shown = value.Length.ToString(new string('0', definition.PrefixDigits), CultureInfo.InvariantCulture) + " " + shown;
            }

            if (!example.Meanings.TryGetValue(field, out var meaning))
            {
                throw new InvalidOperationException($"Example {example.Name} does not explain DE {field}.");
            }

            if (field is RetailMac.PrimaryMacField or RetailMac.SecondaryMacField)
            {
                meaning += $"; input: bytes 0002–{offset - 1:X4}, the MTI up to the MAC";
            }

            Row(text, ref offset, definition.PrefixDigits + value.Length, $"DE {field} {definition.Name}", shown, meaning);
        }

        if (offset != frame.Length)
        {
            throw new InvalidOperationException($"Example {example.Name}: the breakdown covers {offset} of {frame.Length} bytes.");
        }

        return text.ToString();
    }

    private static void Row(StringBuilder text, ref int offset, int length, string element, string value, string meaning)
    {
        text.Append(CultureInfo.InvariantCulture, $"| {offset:X4} | {length} | {element} | `{value}` | {meaning} |\n");
        offset += length;
    }

    private static string BitsSet(ReadOnlySpan<byte> bitmap, int firstBit)
    {
        var bits = new List<int>();
        for (var i = 0; i < 64; i++)
        {
            if ((bitmap[i / 8] & (0x80 >> (i % 8))) != 0)
            {
                bits.Add(firstBit + i);
            }
        }

        var list = (bits.Count == 1 ? "bit " : "bits ") + string.Join(", ", bits);
        return firstBit == 1 && bits.Contains(1) ? $"{list} (bit 1: a secondary bitmap follows)" : list;
    }
}
