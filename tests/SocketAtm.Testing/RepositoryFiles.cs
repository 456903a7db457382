namespace SocketAtm.Testing;

/// <summary>Files of the checkout the tests run from (deploy/, docs), found by walking up to SocketAtm.sln.</summary>
public static class RepositoryFiles
{
    public static string PathOf(params string[] parts)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SocketAtm.sln")))
            {
                return Path.Combine([directory.FullName, .. parts]);
            }
        }

        throw new InvalidOperationException("SocketAtm.sln not found above " + AppContext.BaseDirectory);
    }
}
