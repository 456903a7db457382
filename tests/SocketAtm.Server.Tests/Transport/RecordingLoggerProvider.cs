using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SocketAtm.Server.Tests.Transport;

/// <summary>
/// Formats every log call at every level (so the formatting paths run) and keeps counts by event id and level, the
/// full text of errors, and every line that holds one of the given secrets. Memory stays flat however much is logged:
/// only the last few ordinary lines are kept.
/// </summary>
internal sealed class RecordingLoggerProvider : ILoggerProvider
{
    private const int KeptLines = 256;
    private readonly string[] _secrets;
    private readonly ConcurrentDictionary<int, int> _byEventId = new();
    private readonly ConcurrentDictionary<LogLevel, int> _byLevel = new();
    private readonly ConcurrentQueue<string> _recent = new();

    public RecordingLoggerProvider(params string[] secrets) => _secrets = secrets;

    /// <summary>Lines at Error or above, in full with their exceptions.</summary>
    public ConcurrentQueue<string> Errors { get; } = new();

    /// <summary>Lines that held a secret.</summary>
    public ConcurrentQueue<string> Leaks { get; } = new();

    /// <summary>The most recent lines as "Level EventId: message".</summary>
    public IEnumerable<string> Recent => _recent;

    public int CountOf(int eventId) => _byEventId.GetValueOrDefault(eventId);

    public int CountAtOrAbove(LogLevel level) => _byLevel.Where(pair => pair.Key >= level).Sum(pair => pair.Value);

    public void Reset()
    {
        _byEventId.Clear();
        _byLevel.Clear();
        _recent.Clear();
    }

    public ILoggerFactory CreateFactory() => LoggerFactory.Create(builder => builder.AddProvider(this).SetMinimumLevel(LogLevel.Trace));

    public ILogger CreateLogger(string categoryName) => new Recorder(this);

    public void Dispose()
    {
    }

    private void Record<TState>(LogLevel level, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var text = formatter(state, exception);
        if (state is IEnumerable<KeyValuePair<string, object?>> properties)
        {
            // Structured properties reach sinks even when the template does not show them: check those too.
            text += " |" + string.Join(" ", properties.Select(p => $"{p.Key}={p.Value}"));
        }

        _byEventId.AddOrUpdate(eventId.Id, 1, static (_, n) => n + 1);
        _byLevel.AddOrUpdate(level, 1, static (_, n) => n + 1);
        var line = $"{level} {eventId.Id}: {text}";
        if (level >= LogLevel.Error)
        {
            Errors.Enqueue(line + Environment.NewLine + exception);
        }

        foreach (var secret in _secrets)
        {
            if (line.Contains(secret, StringComparison.OrdinalIgnoreCase))
            {
                Leaks.Enqueue(line);
            }
        }

        _recent.Enqueue(line);
        while (_recent.Count > KeptLines)
        {
            _recent.TryDequeue(out _);
        }
    }

    private sealed class Recorder(RecordingLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            provider.Record(logLevel, eventId, state, exception, formatter);
    }
}
