using System.IO.Pipelines;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.ObjectPool;
using SocketAtm.Server.Diagnostics;

namespace SocketAtm.Server.Sessions;

/// <summary>
/// What every session shares — the dispatcher, the pool of request contexts, the limits, the clock, the metrics and the
/// sessions' logger — and the one way to open a session with them. The host composes it once (Hosting's
/// SessionPipeline); the listener, the tests and the benchmarks all open their sessions here.
/// </summary>
internal sealed class SessionServices
{
    private readonly ILogger _sessionLogger;

    /// <param name="presence">The host's list of signed-on terminals (shown by the operations console); null for one of this pipeline's own.</param>
    public SessionServices(
        MessageDispatcher dispatcher, SessionOptions options, TimeProvider time, AtmMetrics metrics, ILogger<TerminalSession> sessionLogger, TerminalPresence? presence = null)
    {
        Presence = presence ?? new TerminalPresence(time);
        Dispatcher = dispatcher;
        Options = options;
        Time = time;
        Metrics = metrics;
        _sessionLogger = sessionLogger;
        Contexts = new DefaultObjectPool<MessageContext>(new MessageContextPoolPolicy(), maximumRetained: 4096);
    }

    public MessageDispatcher Dispatcher { get; }

    public ObjectPool<MessageContext> Contexts { get; }

    public SessionOptions Options { get; }

    public TimeProvider Time { get; }

    public AtmMetrics Metrics { get; }

    /// <summary>The terminals signed on over any of these sessions, and when each was last heard from.</summary>
    public TerminalPresence Presence { get; }

    /// <summary>A session over <paramref name="transport"/>, not yet running: the caller runs it, then disposes it.</summary>
    /// <param name="mayServeTerminal">The terminal ids this connection may speak for (bound by a TLS client certificate); null for any.</param>
    /// <param name="remoteAddress">The terminal's address (behind a proxy, the one the PROXY protocol gave), for the logs.</param>
    /// <param name="firstSignedOn">Called once, when a terminal first signs on over the connection.</param>
    public TerminalSession Open(
        long connectionId, IDuplexPipe transport, Func<string, bool>? mayServeTerminal = null, string? remoteAddress = null, Action? firstSignedOn = null) =>
        new(connectionId, transport, this, _sessionLogger, mayServeTerminal, remoteAddress, firstSignedOn);
}
