using System.Diagnostics;
using System.Text.RegularExpressions;

namespace SocketAtm.Load.Hosting;

/// <summary>
/// A .NET program run as a process of its own (<c>dotnet program.dll …</c>), so that its memory and CPU are its own: the
/// host, the bare echo server, or one admin command. Its output is drained all the time (a full pipe would stall it);
/// the last lines are kept for the error message if it fails.
/// </summary>
internal sealed partial class ChildProcess : IAsyncDisposable
{
    private const int KeptLines = 40;

    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();
    private readonly TaskCompletionSource<int> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<Uri> _operations = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines it wrote (standard output and error together).</summary>
    public string RecentOutput
    {
        get
        {
            lock (_lastLines)
            {
                return string.Join(Environment.NewLine, _lastLines);
            }
        }
    }

    /// <param name="environment">Variables to set (or, with a null value, to remove) on top of this process's own: how
    /// secrets such as the key-encryption key reach the child without showing on its command line.</param>
    public static ChildProcess Start(
        string programPath,
        IEnumerable<string> arguments,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        start.ArgumentList.Add(programPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, line) => child.Seen(line.Data);
        process.ErrorDataReceived += (_, line) => child.Seen(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Runs to completion: its exit code and what it wrote.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string programPath,
        IEnumerable<string> arguments,
        TimeSpan timeout,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        await using var child = Start(programPath, arguments, environment: environment);
        using var deadline = new CancellationTokenSource(timeout);
        await child._process.WaitForExitAsync(deadline.Token);
        return (child._process.ExitCode, child.RecentOutput);
    }

    /// <summary>Waits for the "Listening on address:port" line and returns the port.</summary>
    /// <exception cref="InvalidOperationException">The process exited first.</exception>
    /// <exception cref="TimeoutException">No such line within <paramref name="timeout"/>.</exception>
    public async Task<int> WaitUntilListeningAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var exited = _process.WaitForExitAsync(deadline.Token);
        var first = await Task.WhenAny(_listening.Task, exited);
        if (first == _listening.Task)
        {
            return await _listening.Task;
        }

        throw exited.IsCanceled
            ? new TimeoutException($"{Path.GetFileName(_process.StartInfo.ArgumentList[0])} did not say where it listens within {timeout}:{Environment.NewLine}{RecentOutput}")
            : new InvalidOperationException($"{Path.GetFileName(_process.StartInfo.ArgumentList[0])} exited with code {_process.ExitCode} before listening:{Environment.NewLine}{RecentOutput}");
    }

    /// <summary>
    /// Waits for the host's "Operations on http://address:port" line (logged once its operations port is bound, after
    /// the terminal port) and returns that address; null when none came within <paramref name="timeout"/> (the port is
    /// off, or its line is not logged).
    /// </summary>
    public async Task<Uri?> WaitForOperationsAddressAsync(TimeSpan timeout)
    {
        var first = await Task.WhenAny(_operations.Task, Task.Delay(timeout));
        return first == _operations.Task ? await _operations.Task : null;
    }

    /// <summary>
    /// SIGINT (a graceful stop), then waits; SIGTERM (also graceful) if that had no effect within a few seconds — a
    /// process started from a background job without job control ignores SIGINT —; kills it if it has not stopped in time.
    /// </summary>
    /// <returns>The exit code, or null when it had to be killed.</returns>
    public async Task<int?> StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return _process.ExitCode;
        }

        using var deadline = new CancellationTokenSource(timeout);
        ProcessSignals.Interrupt(_process.Id);
        try
        {
            using var interrupted = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
            interrupted.CancelAfter(TimeSpan.FromSeconds(5));
            try
            {
                await _process.WaitForExitAsync(interrupted.Token);
                return _process.ExitCode;
            }
            catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
            {
                ProcessSignals.Terminate(_process.Id);
            }

            await _process.WaitForExitAsync(deadline.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"Listening on \S+:(\d+)")]
    private static partial Regex ListeningLine();

    [GeneratedRegex(@"Operations on \""?(https?://[^\s\""]+)")]
    private static partial Regex OperationsLine();

    private void Seen(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            if (_lastLines.Count > KeptLines)
            {
                _lastLines.Dequeue();
            }
        }

        if (!_listening.Task.IsCompleted && ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        }

        if (!_operations.Task.IsCompleted && OperationsLine().Match(line) is { Success: true } operations
            && Uri.TryCreate(operations.Groups[1].Value, UriKind.Absolute, out var address))
        {
            _operations.TrySetResult(address);
        }
    }
}
