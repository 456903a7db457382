using Microsoft.Extensions.Logging;

namespace SocketAtm.IssuerSim;

/// <summary>One line per event on a text writer: what an operator watching the simulator needs, and nothing more.</summary>
internal sealed class ConsoleLineLogger(TextWriter output, LogLevel minimum) : ILogger
{
    private readonly Lock _gate = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var level = logLevel switch
        {
            LogLevel.Warning => "warn",
            LogLevel.Error or LogLevel.Critical => "fail",
            LogLevel.Debug or LogLevel.Trace => "dbug",
            _ => "info",
        };
        lock (_gate)
        {
            output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {level} {formatter(state, exception)}");
        }
    }
}
