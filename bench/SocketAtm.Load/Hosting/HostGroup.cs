namespace SocketAtm.Load.Hosting;

/// <summary>
/// The hosts a run starts, each a process of its own on a free port with a data directory of its own and the run's
/// storage settings in its environment. They start together and the group is ready once every one of them listens;
/// they stop together, gracefully.
/// </summary>
internal sealed class HostGroup : IAsyncDisposable
{
    private readonly List<StartedHost> _hosts = [];
    private readonly List<ChildProcess> _processes = [];

    private HostGroup()
    {
    }

    public IReadOnlyList<StartedHost> Hosts => _hosts;

    /// <exception cref="InvalidOperationException">A host exited before listening (every host is then stopped).</exception>
    /// <exception cref="TimeoutException">A host did not listen in time (every host is then stopped).</exception>
    public static async Task<HostGroup> StartAsync(
        string serverPath,
        IReadOnlyList<string> dataDirectories,
        Func<string, IEnumerable<string>> arguments,
        IReadOnlyDictionary<string, string?> environment,
        TimeSpan timeout)
    {
        var group = new HostGroup();
        try
        {
            foreach (var directory in dataDirectories)
            {
                group._processes.Add(ChildProcess.Start(serverPath, arguments(directory), environment: environment));
            }

            var ports = await Task.WhenAll(group._processes.Select(process => process.WaitUntilListeningAsync(timeout)));
            for (var index = 0; index < ports.Length; index++)
            {
                group._hosts.Add(new StartedHost(index + 1, group._processes[index], ports[index], dataDirectories[index]));
            }

            return group;
        }
        catch
        {
            await group.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops every host gracefully (see <see cref="ChildProcess.StopAsync"/>).</summary>
    /// <returns>Each host's exit code, null for one that had to be killed.</returns>
    public Task<int?[]> StopAsync(TimeSpan timeout) => Task.WhenAll(_hosts.Select(host => host.Process.StopAsync(timeout)));

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        _processes.Clear();
        _hosts.Clear();
    }
}
