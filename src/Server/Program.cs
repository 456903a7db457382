using Microsoft.Extensions.Hosting;
using SocketAtm.Server.Admin;
using SocketAtm.Server.Hosting;

namespace SocketAtm.Server;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        if (args is [AdminCommandLine.Verb, .. var adminArgs])
        {
            return await AdminCommandLine.RunAsync(adminArgs, Console.Out, Console.Error);
        }

        IHost host;
        try
        {
            host = ServerHost.Build(args);
            await host.StartAsync();
        }
        catch (Exception exception) when (StartupFailure.TryDescribe(exception, out var message))
        {
            // One readable line per failure, not a stack trace. Exit 1 when waiting may help (deploy/socketatm.service
            // restarts the host then), 2 when the configuration or the data must be fixed first (no restart loop).
            await StartupFailure.WriteAsync(Console.Error, message);
            return StartupFailure.IsTransient(exception) ? 1 : 2;
        }

        await host.WaitForShutdownAsync();
        host.Dispose();
        return Environment.ExitCode;
    }
}
