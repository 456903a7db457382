using BenchmarkDotNet.Running;
using SocketAtm.Bench.Peer;

namespace SocketAtm.Bench;

/// <summary>
/// Entry point: pick benchmarks on the command line, e.g. <c>-- --filter '*Frame*' --job short</c>, or run the npm peer
/// comparison with <c>-- peer</c>.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args is ["peer", .. var peerArgs])
        {
            return PeerComparison.Run(peerArgs);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
