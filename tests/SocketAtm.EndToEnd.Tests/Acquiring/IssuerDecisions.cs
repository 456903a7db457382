using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SocketAtm.EndToEnd.Tests.Acquiring;

/// <summary>
/// The issuer simulator's log as a test reads it: every decision it logged (MTI, RRN, DE 39), so that a test can count the
/// 0420s and 0421s an RRN got — the issuer's book only keeps the first reversal's answer.
/// </summary>
internal sealed class IssuerDecisions : ILogger
{
    // IssuerLog.Decided's event id (bench/SocketAtm.IssuerSim/IssuerLog.cs).
    private const int DecidedEvent = 5;

    private readonly ConcurrentQueue<Decision> _decisions = new();

    public IReadOnlyList<Decision> All => [.. _decisions];

    /// <summary>How many requests of <paramref name="mti"/> (e.g. "0420") the issuer decided for <paramref name="rrn"/>.</summary>
    public int Count(string mti, string rrn) => _decisions.Count(decision => decision.Mti == mti && decision.Rrn == rrn);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (eventId.Id != DecidedEvent || state is not IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            return;
        }

        string? Value(string name) => values.FirstOrDefault(pair => pair.Key == name).Value?.ToString();
        _decisions.Enqueue(new Decision(Value("Mti") ?? string.Empty, (Value("Rrn") ?? string.Empty).Trim(), Value("ResponseCode") ?? string.Empty));
    }

    public sealed record Decision(string Mti, string Rrn, string ResponseCode);
}
