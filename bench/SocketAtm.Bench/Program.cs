using BenchmarkDotNet.Running;

namespace SocketAtm.Bench;

/// <summary>Entry point: pick benchmarks on the command line, e.g. <c>-- --filter '*Frame*' --job short</c>.</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
