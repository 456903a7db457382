namespace SocketAtm.Load.Workloads;

/// <summary>One simulated terminal, connected and signed on, that runs operations of its workload on demand.</summary>
internal abstract class LoadTerminal : IAsyncDisposable
{
    public abstract string TerminalId { get; }

    /// <summary>
    /// Runs one operation (one request, or a request and its follow-ups) and reports it; the first answer's latency
    /// counts from <paramref name="intendedStart"/>, a <see cref="System.Diagnostics.Stopwatch"/> timestamp: when the
    /// operation was due, which in an open loop may be before it could start.
    /// </summary>
    public abstract Task RunOnceAsync(long intendedStart);

    public abstract ValueTask DisposeAsync();
}
