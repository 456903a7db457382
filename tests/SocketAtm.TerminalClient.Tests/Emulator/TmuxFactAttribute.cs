using System.Runtime.CompilerServices;

namespace SocketAtm.TerminalClient.Tests.Emulator;

/// <summary>
/// A fact that needs tmux: skipped where tmux is not installed, or when SOCKETATM_SKIP_TMUX=1, with the reason in the
/// test's name too, so that the console's default "Skipped …" line says why.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TmuxFactAttribute : FactAttribute
{
    public TmuxFactAttribute([CallerMemberName] string test = "")
    {
        if (Environment.GetEnvironmentVariable("SOCKETATM_SKIP_TMUX") == "1")
        {
            Skip = "SOCKETATM_SKIP_TMUX=1";
        }
        else if (!IsOnPath("tmux"))
        {
            Skip = "tmux is not installed";
        }

        if (Skip is not null)
        {
            DisplayName = $"{test} — SKIPPED: {Skip}";
        }
    }

    private static bool IsOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, program)));
}
