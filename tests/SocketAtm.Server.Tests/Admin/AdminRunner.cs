using SocketAtm.Server.Admin;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.LiteDb;

namespace SocketAtm.Server.Tests.Admin;

/// <summary>
/// Runs admin commands on a data directory of its own, with what a person would type given as lines of text, and keeps
/// owner-only files of secrets (key components, PINs) for <c>--…-file</c> options. Deletes it all when disposed.
/// </summary>
internal sealed class AdminRunner : IDisposable
{
    private readonly string _files = Path.Combine(Path.GetTempPath(), "socketatm-admin-secrets-" + Guid.NewGuid().ToString("N"));

    public AdminRunner()
    {
        Directory.CreateDirectory(_files);
    }

    public string Data { get; } = Path.Combine(Path.GetTempPath(), "socketatm-admin-" + Guid.NewGuid().ToString("N"));

    /// <summary>Runs <c>admin --data … args</c>; <paramref name="typed"/> is what the prompts read, one secret per line.</summary>
    public async Task<AdminRun> RunTypingAsync(string typed, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var input = new StringReader(typed);
        var code = await AdminCommandLine.RunAsync(["--data", Data, .. args], new AdminConsole(output, error, SecretInput.From(input)));
        return new AdminRun(code, output.ToString(), error.ToString());
    }

    public Task<AdminRun> RunAsync(params string[] args) => RunTypingAsync(string.Empty, args);

    /// <summary>An owner-only file holding <paramref name="content"/>; its path.</summary>
    public string SecretFile(string content)
    {
        var path = Path.Combine(_files, Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return path;
    }

    public Task<LiteDbLedger> OpenLedgerAsync() => LiteDbLedger.OpenAsync(new LedgerOptions { DataDirectory = Data }, TimeProvider.System);

    public void Dispose()
    {
        foreach (var directory in new[] { Data, _files })
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }
}

/// <summary>What an admin command answered: its exit code, standard output and standard error (prompts and refusals).</summary>
internal sealed record AdminRun(int Code, string Output, string Error)
{
    public string Everything => Output + Error;
}
