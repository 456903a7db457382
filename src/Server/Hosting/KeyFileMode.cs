namespace SocketAtm.Server.Hosting;

/// <summary>Whether a key file is owner-only: what the start-up checks of key files off loopback require.</summary>
internal static class KeyFileMode
{
    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>
    /// True when <paramref name="file"/> exists and its group or others may do anything with it; <paramref name="octal"/>
    /// is then its mode as chmod writes it (e.g. 640). Never true on Windows, whose ACLs these modes do not describe.
    /// </summary>
    public static bool IsOpenToOthers(string file, out string octal)
    {
        octal = string.Empty;
        if (OperatingSystem.IsWindows() || !File.Exists(file))
        {
            return false;
        }

        var mode = File.GetUnixFileMode(file);
        octal = Convert.ToString((int)mode & 0x1FF, 8).PadLeft(3, '0');
        return (mode & GroupOrOthers) != 0;
    }
}
