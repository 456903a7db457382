using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace SocketAtm.EndToEnd.Tests.Acquiring;

/// <summary>
/// The host as its own process (SocketAtm.Server.dll), so that a test can kill it outright — no drain, no give-up on the
/// way down — and start a host on its data directory afterwards, as after a crash.
/// </summary>
internal sealed partial class HostProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private HostProcess(Process process, IPEndPoint endPoint)
    {
        _process = process;
        EndPoint = endPoint;
    }

    public IPEndPoint EndPoint { get; }

    public static async Task<HostProcess> StartAsync(string dataDirectory, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])[Path.Combine(AppContext.BaseDirectory, "SocketAtm.Server.dll"), "--port", "0", "--ops-port", "0", "--data", dataDirectory, .. args])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        var output = new StringBuilder();
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, line) =>
        {
            lock (output)
            {
                output.AppendLine(line.Data);
            }

            if (line.Data is { } text && ListeningOn().Match(text) is { Success: true } match)
            {
                listening.TrySetResult(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var port = await listening.Task.WaitAsync(TimeSpan.FromSeconds(30));
            return new HostProcess(process, new IPEndPoint(IPAddress.Loopback, port));
        }
        catch (TimeoutException)
        {
            process.Kill();
            process.Dispose();
            lock (output)
            {
                throw new TimeoutException("The host process never said where it listens:\n" + output);
            }
        }
    }

    /// <summary>SIGKILL, as a crash or an operator's kill -9: nothing runs on the way down.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"Listening on [^:\s]+:(\d+)")]
    private static partial Regex ListeningOn();
}
