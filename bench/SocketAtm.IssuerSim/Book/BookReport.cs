using System.Globalization;
using System.Text.Json;

namespace SocketAtm.IssuerSim.Book;

/// <summary>
/// Prints the book per RRN as stable, machine-readable lines: tab-separated with a header (the default), or one JSON
/// array. Columns never change order; a new one would be appended.
/// </summary>
public static class BookReport
{
    /// <summary>The TSV header.</summary>
    public const string Header = "acquirer_id\trrn\tmasked_pan\tkind\tamount\tnet_amount\tresponse\treversal_response\tlast_response\tadvice_response";

    public static void WriteTsv(TextWriter output, IEnumerable<IssuerBookLine> lines)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(lines);
        output.WriteLine(Header);
        foreach (var line in lines)
        {
            output.WriteLine(string.Join(
                '\t',
                line.AcquirerId,
                line.Rrn,
                line.MaskedPan,
                line.Kind,
                line.Amount.ToString(CultureInfo.InvariantCulture),
                line.NetAmount.ToString(CultureInfo.InvariantCulture),
                line.Response,
                line.ReversalResponse,
                line.LastResponse,
                line.AdviceResponse));
        }
    }

    public static void WriteJson(TextWriter output, IEnumerable<IssuerBookLine> lines)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(lines);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
        {
            json.WriteStartArray();
            foreach (var line in lines)
            {
                json.WriteStartObject();
                json.WriteString("acquirerId", line.AcquirerId);
                json.WriteString("rrn", line.Rrn);
                json.WriteString("maskedPan", line.MaskedPan);
                json.WriteString("kind", line.Kind);
                json.WriteNumber("amount", line.Amount);
                json.WriteNumber("netAmount", line.NetAmount);
                json.WriteString("response", line.Response);
                json.WriteString("reversalResponse", line.ReversalResponse);
                json.WriteString("lastResponse", line.LastResponse);
                json.WriteString("adviceResponse", line.AdviceResponse);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    /// <summary>Reads the book in <paramref name="directory"/> (the simulator must not be running on it).</summary>
    /// <exception cref="IssuerSimulatorStartupException">There is no book there, or it is in use.</exception>
    public static IReadOnlyList<IssuerBookLine> Read(string directory)
    {
        if (!File.Exists(IssuerBook.DataFilePath(directory)))
        {
            throw new IssuerSimulatorStartupException($"There is no book in '{directory}' ({IssuerBook.DataFileName} is missing).");
        }

        using var book = IssuerBook.Open(directory);
        return [.. book.Entries().Select(IssuerBookLine.From)];
    }
}
