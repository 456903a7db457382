using Microsoft.Extensions.Configuration;
using SocketAtm.Server.Hosting;
using SocketAtm.Server.Transport;

namespace SocketAtm.Load.Hosting;

/// <summary>
/// The connection caps of the hosts the harness starts, read from the same sources, in the same order, as the host reads
/// them: its appsettings.json, SOCKETATM_ environment variables (the harness's own and the run's), then the command
/// line the harness gives it. Only the Listener section matters here.
/// </summary>
internal sealed record HostConnectionLimits(int MaxConnectionsPerAddress, int MaxConnections)
{
    public static HostConnectionLimits Read(string serverPath, IReadOnlyDictionary<string, string?> environment, IEnumerable<string> arguments)
    {
        var runEnvironment = environment
            .Where(pair => pair.Key.StartsWith(ServerHost.EnvironmentPrefix, StringComparison.Ordinal))
            .Select(pair => KeyValuePair.Create(pair.Key[ServerHost.EnvironmentPrefix.Length..].Replace("__", ":", StringComparison.Ordinal), pair.Value));
        var configuration = new ConfigurationBuilder()
            .SetBasePath(Path.GetDirectoryName(serverPath)!)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables(ServerHost.EnvironmentPrefix)
            .AddInMemoryCollection(runEnvironment)
            .AddCommandLine([.. arguments], CommandLineSwitches.Mappings)
            .Build();
        var listener = configuration.GetSection(ListenerOptions.SectionName).Get<ListenerOptions>() ?? new ListenerOptions();
        return new HostConnectionLimits(listener.MaxConnectionsPerAddress, listener.MaxConnections);
    }
}
