using SocketAtm.Load.Workloads;

namespace SocketAtm.Load.Hosting;

/// <summary>One host process of a run: its number (from 1), where it listens and the data directory it was given.</summary>
internal sealed record StartedHost(int Number, ChildProcess Process, int Port, string DataDirectory)
{
    public HostEndPoint EndPoint => new("127.0.0.1", Port);
}
