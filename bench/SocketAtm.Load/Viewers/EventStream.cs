using System.Text;

namespace SocketAtm.Load.Viewers;

/// <summary>
/// Reads server-sent events as a browser's EventSource does: <c>event:</c> and <c>data:</c> lines (several data lines
/// joined by a line feed, one leading space dropped), dispatched at a blank line; <c>retry:</c>, <c>id:</c> and comments
/// are passed over.
/// </summary>
internal sealed class EventStream(TextReader reader)
{
    private readonly StringBuilder _data = new();

    /// <summary>The next event (its name, "message" when none was given, and its data); null when the stream ended.</summary>
    public async Task<(string Name, string Data)?> ReadAsync(CancellationToken cancellationToken)
    {
        string? name = null;
        _data.Clear();
        var hasData = false;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (hasData)
                {
                    return (name ?? "message", _data.ToString());
                }

                name = null;
                continue;
            }

            if (Field(line, "event") is { } eventName)
            {
                name = eventName;
            }
            else if (Field(line, "data") is { } data)
            {
                _data.Append(hasData ? "\n" : string.Empty).Append(data);
                hasData = true;
            }
        }

        return null;
    }

    private static string? Field(string line, string field)
    {
        if (!line.StartsWith(field, StringComparison.Ordinal) || line.Length <= field.Length || line[field.Length] != ':')
        {
            return null;
        }

        var value = line[(field.Length + 1)..];
        return value.StartsWith(' ') ? value[1..] : value;
    }
}
