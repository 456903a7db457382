namespace SocketAtm.EndToEnd.Tests.Operations;

/// <summary>A reader of a text/event-stream as its standard defines one: <c>event:</c> and <c>data:</c> lines, events ended by a blank line.</summary>
internal sealed class ServerSentEvents(Stream stream) : IDisposable
{
    private readonly StreamReader _reader = new(stream);

    /// <summary>The next event with data (a bare <c>retry:</c> block is skipped).</summary>
    public async Task<(string Name, string Data)> NextAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        string name = "message", data = string.Empty;
        while (true)
        {
            var line = await _reader.ReadLineAsync(deadline.Token) ?? throw new EndOfStreamException("The feed ended.");
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    return (name, data);
                }

                name = "message";
                continue;
            }

            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data += line["data: ".Length..];
            }
        }
    }

    /// <summary>True when the stream ends (or the connection drops) within <paramref name="timeout"/>.</summary>
    public async Task<bool> EndsWithinAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            while (await _reader.ReadLineAsync(deadline.Token) is not null)
            {
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public void Dispose() => _reader.Dispose();
}
