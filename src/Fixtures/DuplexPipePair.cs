using System.IO.Pipelines;

namespace SocketAtm.Fixtures;

/// <summary>
/// An in-memory connection between a terminal and the host: two pipes crossed, so that what the terminal writes the
/// host reads, and the other way round. Give <see cref="Host"/> to a session; the test or benchmark plays the terminal
/// through <see cref="Terminal"/>, and completing the terminal's output is the terminal hanging up.
/// </summary>
public sealed class DuplexPipePair
{
    /// <param name="toHost">Options of the pipe the terminal writes and the host reads (its reader scheduler is where the host's reads resume).</param>
    /// <param name="toTerminal">Options of the pipe the host writes and the terminal reads.</param>
    public DuplexPipePair(PipeOptions? toHost = null, PipeOptions? toTerminal = null)
    {
        var hostBound = new Pipe(toHost ?? PipeOptions.Default);
        var terminalBound = new Pipe(toTerminal ?? PipeOptions.Default);
        Host = new DuplexPipe(hostBound.Reader, terminalBound.Writer);
        Terminal = new DuplexPipe(terminalBound.Reader, hostBound.Writer);
    }

    /// <summary>The host's end: reads what the terminal sent, writes the host's answers.</summary>
    public IDuplexPipe Host { get; }

    /// <summary>The terminal's end: writes requests, reads the host's answers.</summary>
    public IDuplexPipe Terminal { get; }
}
