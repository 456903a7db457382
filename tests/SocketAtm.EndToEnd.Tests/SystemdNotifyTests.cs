using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace SocketAtm.EndToEnd.Tests;

/// <summary>
/// Under systemd (deploy/socketatm.service, Type=notify) the unit must become active only once the host listens, and
/// SIGTERM must stop it gracefully. systemd's side is played by a datagram socket named in NOTIFY_SOCKET.
/// </summary>
public sealed partial class SystemdNotifyTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "socketatm-sd-" + Guid.NewGuid().ToString("N")[..12]);

    [Fact]
    public async Task The_host_tells_systemd_it_is_ready_only_once_it_listens_and_stops_gracefully_on_SIGTERM()
    {
        Directory.CreateDirectory(_directory);
        var socketPath = Path.Combine(_directory, "notify.sock");
        using var notifications = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notifications.Bind(new UnixDomainSocketEndPoint(socketPath));
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment = { ["NOTIFY_SOCKET"] = socketPath },
        };
        foreach (var argument in (string[])[Path.Combine(AppContext.BaseDirectory, "SocketAtm.Server.dll"), "--port", "0", "--ops-port", "0", "--data", Path.Combine(_directory, "data")])
        {
            start.ArgumentList.Add(argument);
        }

        using var host = Process.Start(start)!;
        var output = new StringBuilder();
        host.OutputDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
        host.BeginOutputReadLine();
        host.BeginErrorReadLine();
        try
        {
            var ready = await ReceiveAsync(notifications);
            string logged;
            lock (output)
            {
                logged = output.ToString();
            }

            Assert.Equal("READY=1", ready);
            var listening = ListeningOn().Match(logged);
            Assert.True(listening.Success, "READY=1 came before the host said where it listens:\n" + logged);
            using (var terminal = new TcpClient())
            {
                await terminal.ConnectAsync("127.0.0.1", int.Parse(listening.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            }

            using (var terminate = Process.Start("kill", ["-TERM", host.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await terminate.WaitForExitAsync();
            }

            Assert.Equal("STOPPING=1", await ReceiveAsync(notifications));
            await host.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(0, host.ExitCode);
        }
        finally
        {
            if (!host.HasExited)
            {
                host.Kill();
            }
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static async Task<string> ReceiveAsync(Socket socket)
    {
        var buffer = new byte[512];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var received = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        return Encoding.ASCII.GetString(buffer, 0, received).Trim();
    }

    [GeneratedRegex(@"Listening on [^:\s]+:(\d+)")]
    private static partial Regex ListeningOn();
}
