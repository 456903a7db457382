namespace SocketAtm.Server.Admin;

/// <summary>
/// Reads a file holding a secret (a key component, a PIN), warning when group or others may read it: such a file
/// should be owner-only and short-lived (delete it, or keep it on removable media, once the command has run).
/// </summary>
internal static class SecretFile
{
    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <exception cref="AdminException">The file cannot be read.</exception>
    public static char[] Read(string path, TextWriter warnings)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(warnings);
        try
        {
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & GroupOrOthers) != 0)
            {
                warnings.WriteLine($"socketatm admin: warning: {path} may be read by group or others (chmod 600 it, and delete it once used).");
            }

            return File.ReadAllText(path).ToCharArray();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new AdminException($"Cannot read {path}: {exception.Message}", exception);
        }
    }
}
