using System.Globalization;

namespace SocketAtm.Load.Hosting;

/// <summary>The machine's 1-minute load average (/proc/loadavg): how shared the cores were while a figure was taken.</summary>
internal static class MachineLoad
{
    public static double? OneMinute()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ', 2)[0];
            return double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var load) ? load : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>CPU time the process has used so far (user + system), from /proc/&lt;pid&gt;/stat; null when unreadable.</summary>
    public static TimeSpan? ProcessCpu(int processId) =>
        ReadStat(processId) is { } stat ? Seconds(stat.UserTicks + stat.SystemTicks) : null;

    /// <summary>
    /// CPU time a process and its children have used so far: its own, what its exited children left it (cutime and
    /// cstime), and what its living children used — so a child that exits between two readings is neither lost nor
    /// counted twice. For a server that forks a process per connection (PostgreSQL); null when unreadable.
    /// </summary>
    public static TimeSpan? ProcessTreeCpu(int processId)
    {
        if (ReadStat(processId) is not { } parent)
        {
            return null;
        }

        var ticks = parent.UserTicks + parent.SystemTicks + parent.ExitedChildrenTicks;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                && ReadStat(id) is { } child && child.ParentId == processId)
            {
                ticks += child.UserTicks + child.SystemTicks + child.ExitedChildrenTicks;
            }
        }

        return Seconds(ticks);
    }

    private static TimeSpan Seconds(long ticks) => TimeSpan.FromSeconds(ticks / 100.0);

    private static (int ParentId, long UserTicks, long SystemTicks, long ExitedChildrenTicks)? ReadStat(int processId)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{processId}/stat");

            // The command name (field 2) may hold spaces; fields are counted after its closing parenthesis.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (
                int.Parse(fields[1], CultureInfo.InvariantCulture),
                long.Parse(fields[11], CultureInfo.InvariantCulture),
                long.Parse(fields[12], CultureInfo.InvariantCulture),
                long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
