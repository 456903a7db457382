using System.Diagnostics;

namespace SocketAtm.TerminalClient.Tests.Emulator;

/// <summary>
/// A program running in a detached tmux session on a private tmux server, driven by send-keys and read by
/// capture-pane: the emulator exactly as a person at a terminal sees it.
/// </summary>
internal sealed class TmuxSession : IAsyncDisposable
{
    private readonly string _socket = "socketatm-" + Guid.NewGuid().ToString("N")[..12];
    private const string Name = "atm";

    public static async Task<TmuxSession> StartAsync(string command, int width = 110, int height = 60)
    {
        var session = new TmuxSession();
        await session.TmuxAsync("new-session", "-d", "-s", Name, "-x", $"{width}", "-y", $"{height}", command);
        return session;
    }

    /// <summary>Types keys: literal text, or tmux key names such as Enter, Down, C-c.</summary>
    public Task SendKeysAsync(params string[] keys) => TmuxAsync(["send-keys", "-t", Name, .. keys]);

    /// <summary>The whole pane, scrollback included.</summary>
    public Task<string> ScreenAsync() => TmuxAsync("capture-pane", "-p", "-J", "-S", "-", "-t", Name);

    /// <summary>Waits until <paramref name="text"/> shows on the screen; fails with the screen otherwise.</summary>
    public Task<string> WaitForAsync(string text, TimeSpan? timeout = null) =>
        WaitUntilAsync(screen => screen.Contains(text, StringComparison.Ordinal), $"\"{text}\"", timeout);

    /// <summary>Waits until the screen satisfies <paramref name="condition"/>; fails with the screen otherwise.</summary>
    public async Task<string> WaitUntilAsync(Func<string, bool> condition, string description, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        var screen = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            screen = await ScreenAsync();
            if (condition(screen))
            {
                return screen;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"Waited for {description}; the screen was:\n{screen}");
        return screen;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await TmuxAsync("kill-server");
        }
        catch (InvalidOperationException)
        {
            // The server ended with its last session.
        }
    }

    private async Task<string> TmuxAsync(params string[] args)
    {
        var start = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-L");
        start.ArgumentList.Add(_socket);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        return process.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"tmux {string.Join(' ', args)} failed: {await error}");
    }
}
