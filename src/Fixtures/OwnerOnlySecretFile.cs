namespace SocketAtm.Fixtures;

/// <summary>
/// A temporary file that only its owner may read, holding a secret a harness hands to an admin command as a file
/// (a test fleet's PIN for <c>admin add-cards --pin-file</c>), since secrets are never given on the command line.
/// Deleted when disposed.
/// </summary>
public sealed class OwnerOnlySecretFile : IDisposable
{
    public OwnerOnlySecretFile(string secret)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "socketatm-secret-" + Guid.NewGuid().ToString("N"));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Owner-only from its creation: never a moment when others could read it.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(Path, System.Text.Encoding.ASCII, options);
        writer.Write(secret);
    }

    public string Path { get; }

    public void Dispose() => File.Delete(Path);
}
