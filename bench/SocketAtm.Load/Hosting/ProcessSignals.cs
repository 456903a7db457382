using System.Runtime.InteropServices;

namespace SocketAtm.Load.Hosting;

/// <summary>Sends SIGINT, which the host treats like Ctrl-C: a graceful stop. <see cref="System.Diagnostics.Process.Kill()"/> only sends SIGKILL.</summary>
internal static partial class ProcessSignals
{
    private const int SigInt = 2;

    public static bool Interrupt(int processId) => Kill(processId, SigInt) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
