using System.Diagnostics;
using System.Text.RegularExpressions;

namespace SocketAtm.CrashTest;

/// <summary>
/// The host as a child process: started on a data directory and port, killed with SIGKILL (no chance to flush or
/// close anything), or stopped with SIGINT (graceful). Its own admin commands run against the same data directory
/// and the same storage settings.
/// </summary>
internal sealed partial class HostProcess : IDisposable
{
    private readonly string _serverDll;
    private readonly string _dataDirectory;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private Process? _process;
    private System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    /// <param name="dataDirectory">The host's data directory (its LiteDB files, or only its lock and KEK file on PostgreSQL).</param>
    /// <param name="environment">
    /// Settings given the way an operator gives secrets (SOCKETATM_Storage__ConnectionString, SOCKETATM_Ledger__KeyEncryptionKey):
    /// through the environment, never on a command line that <c>ps</c> shows.
    /// </param>
    public HostProcess(string dataDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        _dataDirectory = dataDirectory;
        _environment = environment ?? new Dictionary<string, string>();
        _serverDll = Path.Combine(AppContext.BaseDirectory, "SocketAtm.Server.dll");
        if (!File.Exists(_serverDll))
        {
            throw new FileNotFoundException("The host is not built beside the crash test.", _serverDll);
        }
    }

    /// <summary>The port the host listens on; chosen by the first start and kept for every restart.</summary>
    public int Port { get; private set; }

    /// <summary>Starts the host and returns once it logs the endpoint it listens on.</summary>
    public async Task StartAsync(TimeSpan timeout, params string[] extraArgs)
    {
        var process = new Process
        {
            StartInfo = HostStartInfo(
            [
                "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--ops-port", "0", "--data", _dataDirectory,
                "--Serilog:MinimumLevel:Default=Warning", "--Serilog:MinimumLevel:Override:SocketAtm.Server.Transport=Information", .. extraArgs,
            ]),
        };
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        _output = output;
        process.OutputDataReceived += (_, line) => Watch(line.Data);
        process.ErrorDataReceived += (_, line) => Watch(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        try
        {
            Port = await listening.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            Kill();
            throw new InvalidOperationException("The host did not start listening in time. Its output:\n" + string.Join('\n', output));
        }

        void Watch(string? line)
        {
            if (line is null)
            {
                listening.TrySetException(new InvalidOperationException("The host exited before listening. Its output:\n" + string.Join('\n', output)));
                return;
            }

            output.Enqueue(line);
            if (ListeningOn().Match(line) is { Success: true } match)
            {
                listening.TrySetResult(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary>Waits for the host to stop by itself and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        var process = _process ?? throw new InvalidOperationException("The host is not running.");
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The host was still running after {timeout.TotalSeconds:0} s. Its output:\n" + string.Join('\n', _output));
        }

        return process.ExitCode;
    }

    /// <summary>SIGKILL: the process dies between any two instructions, exactly as on a power cut of the process.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>SIGINT: the host's graceful stop (stop accepting, drain, close the store).</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (_process is { HasExited: false } process)
        {
            using (var interrupt = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await interrupt.WaitForExitAsync();
            }

            await process.WaitForExitAsync().WaitAsync(timeout);
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>Runs <c>SocketAtm.Server admin …</c> on the host's store (a LiteDB data directory only while the host is stopped).</summary>
    public async Task<(int ExitCode, string Output)> AdminAsync(params string[] args)
    {
        using var process = new Process { StartInfo = HostStartInfo(["admin", "--data", _dataDirectory, .. args]) };
        process.Start();
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output + error);
    }

    public void Dispose() => Kill();

    private ProcessStartInfo HostStartInfo(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in _environment)
        {
            info.Environment[name] = value;
        }

        info.ArgumentList.Add(_serverDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return info;
    }

    [GeneratedRegex(@"Listening on [^:\s]+:(\d+)")]
    private static partial Regex ListeningOn();
}
