using System.Runtime.InteropServices;

namespace SocketAtm.Load.Hosting;

/// <summary>
/// Sends SIGINT (Ctrl-C) or SIGTERM, both a graceful stop for the host; <see cref="System.Diagnostics.Process.Kill()"/>
/// only sends SIGKILL.
/// </summary>
internal static partial class ProcessSignals
{
    private const int SigInt = 2;
    private const int SigTerm = 15;

    public static bool Interrupt(int processId) => Kill(processId, SigInt) == 0;

    public static bool Terminate(int processId) => Kill(processId, SigTerm) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
