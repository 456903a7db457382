using System.IO.Pipelines;

namespace SocketAtm.Fixtures;

/// <summary>
/// One end of a connection made of pipes: it reads from one pipe and writes into another. What a socket transport
/// hands a session, without a socket; <see cref="DuplexPipePair"/> crosses two pipes into both ends.
/// </summary>
public sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
{
    public PipeReader Input { get; } = input;

    public PipeWriter Output { get; } = output;
}
