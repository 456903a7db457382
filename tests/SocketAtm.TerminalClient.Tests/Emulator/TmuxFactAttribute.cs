using SocketAtm.Testing;

namespace SocketAtm.TerminalClient.Tests.Emulator;

/// <summary>
/// A fact that needs tmux: skipped (or failed, see <see cref="RequiredTools"/>) where tmux is not installed, or when
/// SOCKETATM_SKIP_TMUX=1.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TmuxFactAttribute : ToolFactAttribute
{
    public override MissingTool? Missing =>
        Environment.GetEnvironmentVariable("SOCKETATM_SKIP_TMUX") == "1" ? new MissingTool("tmux", "SOCKETATM_SKIP_TMUX=1.")
        : !IsOnPath("tmux") ? new MissingTool("tmux", "tmux is not installed (apt-get install tmux).")
        : null;

    private static bool IsOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, program)));
}
