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
    public static TimeSpan? ProcessCpu(int processId)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{processId}/stat");

            // The command name (field 2) may hold spaces; fields are counted after its closing parenthesis.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / 100.0);
        }
        catch (Exception exception) when (exception is IOException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
