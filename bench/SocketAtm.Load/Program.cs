namespace SocketAtm.Load;

internal static class Program
{
    private static Task<int> Main(string[] args) => LoadCommandLine.RunAsync(args, Console.Out, Console.Error);
}
