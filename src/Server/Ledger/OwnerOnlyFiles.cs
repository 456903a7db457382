namespace SocketAtm.Server.Ledger;

/// <summary>
/// What the host creates for its data is for the service account alone: directories 0700 and files 0600 on Unix, set
/// as they are created (never created open and narrowed after), whatever the umask. Existing directories and files
/// keep the modes the operator gave them.
/// </summary>
internal static class OwnerOnlyFiles
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates <paramref name="path"/> and each of its missing parents owner-only; changes nothing that exists.</summary>
    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            // Each missing level is made owner-only, not just the last (Directory.CreateDirectory gives parents the umask's mode).
            var full = Path.GetFullPath(path);
            var missing = new Stack<string>();
            for (var level = full; level is not null && !Directory.Exists(level); level = Path.GetDirectoryName(level))
            {
                missing.Push(level);
            }

            while (missing.TryPop(out var level))
            {
                Directory.CreateDirectory(level, DirectoryMode);
            }
        }
    }

    /// <summary>Makes a file that <paramref name="options"/> creates owner-only.</summary>
    public static FileStreamOptions OwnerOnly(this FileStreamOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        return options;
    }
}
