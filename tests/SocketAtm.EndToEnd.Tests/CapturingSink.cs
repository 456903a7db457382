using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace SocketAtm.EndToEnd.Tests;

/// <summary>Every log event the host writes, rendered with its properties and exception, for tests of log hygiene.</summary>
internal sealed class CapturingSink : ILogEventSink
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public string Everything => string.Join("\n", Lines);

    public void Emit(LogEvent logEvent)
    {
        using var text = new StringWriter();
        logEvent.RenderMessage(text);
        foreach (var property in logEvent.Properties)
        {
            text.Write($" {property.Key}={property.Value}");
        }

        text.Write(logEvent.Exception?.ToString());
        Lines.Enqueue(text.ToString());
    }
}
