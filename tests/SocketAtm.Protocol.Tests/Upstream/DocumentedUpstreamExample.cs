using System.Globalization;
using System.Text.RegularExpressions;
using SocketAtm.Protocol.Tests.Documentation;

namespace SocketAtm.Protocol.Tests.Upstream;

/// <summary>One row of an example's breakdown table: | Offset | Bytes | Element | Value | Meaning |.</summary>
internal sealed record ExampleRow(int Offset, int Bytes, string Element, string Value, string Meaning);

/// <summary>
/// An annotated example of PROTOCOL.md §15 as the document shows it, read back from the text alone: the frame from its
/// hex dump (the ASCII column checked against the bytes) and the rows of its table. It is what an issuer's team
/// reads, so the tests hold it to the codec, not to the code that generated it.
/// </summary>
internal sealed partial record DocumentedUpstreamExample(string Name, string Heading, byte[] Frame, IReadOnlyList<ExampleRow> Rows)
{
    /// <summary>The examples inside "## 15.", each in its generated block <c>example:NAME</c> under a "### 15.x" heading.</summary>
    public static IReadOnlyList<DocumentedUpstreamExample> ReadAll(string document)
    {
        var part = PartFifteen(document);
        var examples = new List<DocumentedUpstreamExample>();
        foreach (Match block in ExampleBlock().Matches(part))
        {
            var name = block.Groups["name"].Value;
            var headingStart = part.LastIndexOf("\n### ", block.Index, StringComparison.Ordinal);
            var heading = headingStart < 0 ? string.Empty : part[(headingStart + 5)..part.IndexOf('\n', headingStart + 1)];
            examples.Add(new DocumentedUpstreamExample(name, heading, ReadHexDump(name, block.Groups["body"].Value), ReadRows(block.Groups["body"].Value)));
        }

        return examples;
    }

    /// <summary>§15 of the document, from its heading to the end or the next "## " part.</summary>
    public static string PartFifteen(string document)
    {
        var start = document.IndexOf("\n## 15. ", StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidOperationException("PROTOCOL.md has no part 15.");
        }

        var end = document.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return end < 0 ? document[start..] : document[start..end];
    }

    /// <summary>The rows whose Element is "DE n …", by n.</summary>
    public IReadOnlyDictionary<int, ExampleRow> FieldRows =>
        Rows.Where(r => r.Element.StartsWith("DE ", StringComparison.Ordinal))
            .ToDictionary(r => int.Parse(r.Element.Split(' ')[1], CultureInfo.InvariantCulture));

    public ExampleRow Row(string element) => Rows.Single(r => r.Element == element);

    /// <summary>
    /// The bytes of the hex dump: a 4-digit offset, two spaces, 16 bytes in two groups of 8 (49 columns), a space and the
    /// ASCII column, as <see cref="HexDump"/> lays it out.
    /// </summary>
    private static byte[] ReadHexDump(string name, string body)
    {
        var dump = HexBlock().Match(body);
        if (!dump.Success)
        {
            throw new InvalidOperationException($"Example {name} has no hex dump.");
        }

        var bytes = new List<byte>();
        foreach (var line in dump.Groups["dump"].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var offset = int.Parse(line[..4], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (offset != bytes.Count || line.Length < 56 || line[4..6] != "  ")
            {
                throw new InvalidOperationException($"Example {name}: malformed dump line '{line}'.");
            }

            var lineBytes = line[6..55].Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(b => byte.Parse(b, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();
            var ascii = new string(lineBytes.Select(b => b is >= 0x20 and <= 0x7E ? (char)b : '.').ToArray());
            if (line[56..] != ascii)
            {
                throw new InvalidOperationException($"Example {name}: the ASCII column at {line[..4]} is not its bytes.");
            }

            bytes.AddRange(lineBytes);
        }

        return bytes.ToArray();
    }

    private static List<ExampleRow> ReadRows(string body) =>
        TableRow().Matches(body).Select(m => new ExampleRow(
            int.Parse(m.Groups["offset"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            int.Parse(m.Groups["bytes"].Value, CultureInfo.InvariantCulture),
            m.Groups["element"].Value,
            m.Groups["value"].Value,
            m.Groups["meaning"].Value)).ToList();

    [GeneratedRegex(@"^<!-- generated:example:(?<name>[^ ]+) -->\n(?<body>.*?)^<!-- /generated:example:\k<name> -->$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex ExampleBlock();

    [GeneratedRegex(@"^```text\n(?<dump>.*?)^```$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex HexBlock();

    [GeneratedRegex(@"^\| (?<offset>[0-9A-F]{4}) \| (?<bytes>[0-9]+) \| (?<element>[^|`]+?) \| `(?<value>[^`]*)` \| (?<meaning>[^\n]*) \|$", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
