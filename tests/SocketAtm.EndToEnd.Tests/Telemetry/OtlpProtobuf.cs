namespace SocketAtm.EndToEnd.Tests.Telemetry;

/// <summary>
/// Just enough of the protobuf wire format to walk an OTLP export's nested messages by field number (no generated code,
/// no Google.Protobuf): the records of a /v1/logs body and the spans of a /v1/traces body, with their ids.
/// </summary>
internal static class OtlpProtobuf
{
    /// <summary>The log records of an ExportLogsServiceRequest: resource_logs (1) / scope_logs (2) / log_records (2).</summary>
    public static IReadOnlyList<byte[]> LogRecords(byte[] export) => Descend(export, 1, 2, 2);

    /// <summary>The spans of an ExportTraceServiceRequest: resource_spans (1) / scope_spans (2) / spans (2).</summary>
    public static IReadOnlyList<byte[]> Spans(byte[] export) => Descend(export, 1, 2, 2);

    /// <summary>A log record's body as text: body (5) / string_value (1).</summary>
    public static string? LogBody(byte[] record) =>
        LengthDelimited(record, 5).FirstOrDefault() is { } body && LengthDelimited(body, 1).FirstOrDefault() is { } text
            ? System.Text.Encoding.UTF8.GetString(text)
            : null;

    /// <summary>A log record's trace id (9), or a span's (1); empty when it has none.</summary>
    public static string LogTraceId(byte[] record) => Hex(LengthDelimited(record, 9).FirstOrDefault());

    public static string SpanTraceId(byte[] span) => Hex(LengthDelimited(span, 1).FirstOrDefault());

    /// <summary>A span's name (5).</summary>
    public static string? SpanName(byte[] span) =>
        LengthDelimited(span, 5).FirstOrDefault() is { } name ? System.Text.Encoding.UTF8.GetString(name) : null;

    private static List<byte[]> Descend(byte[] message, params int[] fields)
    {
        IEnumerable<byte[]> level = [message];
        foreach (var field in fields)
        {
            level = level.SelectMany(inner => LengthDelimited(inner, field)).ToList();
        }

        return [.. level];
    }

    /// <summary>The values of length-delimited field <paramref name="number"/>; other fields are skipped by their wire type.</summary>
    private static List<byte[]> LengthDelimited(byte[] message, int number)
    {
        var values = new List<byte[]>();
        var position = 0;
        while (position < message.Length)
        {
            var key = ReadVarint(message, ref position);
            var field = (int)(key >> 3);
            switch ((int)(key & 7))
            {
                case 0:
                    ReadVarint(message, ref position);
                    break;
                case 1:
                    position += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(message, ref position);
                    if (field == number)
                    {
                        values.Add(message[position..(position + length)]);
                    }

                    position += length;
                    break;
                case 5:
                    position += 4;
                    break;
                default:
                    throw new FormatException($"Wire type {key & 7} at {position} is not OTLP's.");
            }
        }

        return values;
    }

    private static ulong ReadVarint(byte[] message, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = message[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }

    private static string Hex(byte[]? bytes) => bytes is null ? "" : Convert.ToHexString(bytes);
}
