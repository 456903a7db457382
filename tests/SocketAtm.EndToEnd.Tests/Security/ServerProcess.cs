using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace SocketAtm.EndToEnd.Tests.Security;

/// <summary>
/// The published host run as an operator runs it — <c>dotnet SocketAtm.Server.dll …</c>, its own process, environment
/// and exit code — for start-up refusals (exit code 2 and one line on standard error) and for hosts that must start.
/// </summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly TaskCompletionSource<int> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(Process process)
    {
        _process = process;
    }

    /// <summary>Standard output so far (the host's log).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Standard error so far, without empty lines (where a refused start says why, in one line).</summary>
    public IReadOnlyList<string> ErrorLines
    {
        get
        {
            lock (_error)
            {
                return _error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            }
        }
    }

    public int ExitCode => _process.ExitCode;

    /// <summary>Where terminals reach the host once it listens: always through loopback, whatever address it bound.</summary>
    public IPEndPoint EndPoint { get; private set; } = new(IPAddress.Loopback, 0);

    /// <summary>Starts <c>SocketAtm.Server</c> with <paramref name="arguments"/> and, besides this process's, <paramref name="environment"/>.</summary>
    public static ServerProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SocketAtm.Server.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Hosts in parallel never meet on the default operations port. Through the environment, not the command line: a
        // test's own --ops-port still wins, and an admin command (whose verb must come first) is left as it is.
        start.Environment["SOCKETATM_Operations__Port"] = "0";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var server = new ServerProcess(process);
        process.OutputDataReceived += (_, line) => server.OnOutput(line.Data);
        process.ErrorDataReceived += (_, line) =>
        {
            lock (server._error)
            {
                server._error.AppendLine(line.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Runs to its end (an admin command, or a host that refuses to start) and returns the exit code.</summary>
    public static async Task<ServerProcess> RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var server = Start(arguments, environment);
        await server.WaitForExitAsync();
        return server;
    }

    public async Task WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        await _process.WaitForExitAsync(timeout.Token);
    }

    /// <summary>True once the host listens; false when it exited instead (see <see cref="ExitCode"/> and <see cref="ErrorLines"/>).</summary>
    public async Task<bool> ListensAsync()
    {
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(_listening.Task, exited).WaitAsync(StartTimeout);
        if (first == _listening.Task)
        {
            EndPoint = new IPEndPoint(IPAddress.Loopback, await _listening.Task);
            return true;
        }

        return false;
    }

    /// <summary>
    /// True once the host has written <paramref name="text"/> (within <paramref name="timeout"/>): a line about something a
    /// client has just seen happen (a refused handshake) may reach the output a moment after the client saw it.
    /// </summary>
    public async Task<bool> WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }

    /// <summary>A graceful stop (SIGTERM, as systemd sends), so the ledger is closed cleanly for the next start.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var terminate = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await terminate.WaitForExitAsync();
        }

        await WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (ListeningOn().Match(line) is { Success: true } listening)
        {
            _listening.TrySetResult(int.Parse(listening.Groups[1].Value, CultureInfo.InvariantCulture));
        }
    }

    [GeneratedRegex(@"Listening on \S+:(\d+)")]
    private static partial Regex ListeningOn();
}
