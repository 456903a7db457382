using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.EndToEnd.Tests.Security;

/// <summary>
/// The attack: the key that opens every stored terminal key and the PVK lying beside the data (so any copy or backup
/// of the data directory carries it), or readable by other accounts on the machine. Off loopback the real host process
/// refuses both at start (exit code 2, one line); a key file of its own elsewhere, owner-only, is accepted, and what
/// the host creates — data directory, ledger files, a generated key file — is owner-only.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class KeyEncryptionKeyPlacementTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "socketatm-kek-" + Guid.NewGuid().ToString("N")[..12]);

    private string Data => Path.Combine(_root, "data");

    private string Secrets => Path.Combine(_root, "secrets");

    private string[] OffLoopback => ["--address", "0.0.0.0", "--port", "0", "--data", Data, "--Listener:AllowPlaintext=true"];

    [Fact]
    public async Task Off_loopback_the_default_key_file_inside_the_data_directory_is_refused_with_one_line()
    {
        await using var host = await ServerProcess.RunAsync(OffLoopback);

        Assert.Equal(2, host.ExitCode);
        var line = Assert.Single(host.ErrorLines);
        Assert.Contains("inside the data directory", line, StringComparison.Ordinal);
        Assert.Contains("Ledger:KeyEncryptionKeyFile", line, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Data, "kek.key")), "the refused host generated its key beside the data");
    }

    [Fact]
    public async Task Off_loopback_a_key_file_readable_by_group_or_others_is_refused_with_one_line()
    {
        var keyFile = WriteKeyFile(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await using var host = await ServerProcess.RunAsync([.. OffLoopback, "--Ledger:KeyEncryptionKeyFile=" + keyFile]);

        Assert.Equal(2, host.ExitCode);
        var line = Assert.Single(host.ErrorLines);
        Assert.Contains("open to group or others (mode 644)", line, StringComparison.Ordinal);
        Assert.Contains("chmod 600", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Off_loopback_an_owner_only_key_file_elsewhere_is_accepted()
    {
        var keyFile = WriteKeyFile(UnixFileMode.UserRead | UnixFileMode.UserWrite);

        await using var host = ServerProcess.Start([.. OffLoopback, "--Ledger:KeyEncryptionKeyFile=" + keyFile]);

        Assert.True(await host.ListensAsync(), string.Join('\n', host.ErrorLines));
        await host.StopAsync();
        Assert.Equal(0, host.ExitCode);
    }

    [Fact]
    public async Task A_key_file_the_host_generates_elsewhere_and_everything_it_creates_in_the_data_directory_is_owner_only()
    {
        Directory.CreateDirectory(Secrets, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var keyFile = Path.Combine(Secrets, "kek.key");

        await using var host = ServerProcess.Start([.. OffLoopback, "--Ledger:KeyEncryptionKeyFile=" + keyFile]);
        Assert.True(await host.ListensAsync(), string.Join('\n', host.ErrorLines));
        await using (var terminal = await TestTerminal.ConnectAsync(host.EndPoint, signOn: false))
        {
            // No demo data off loopback: the demo terminal is unknown.
            Assert.Equal(ResponseCodes.NotPermittedToTerminal, (await terminal.ExchangeAsync(terminal.NetworkManagement(TestTerminal.NextStan(), "001"))).GetString(DataElements.ResponseCode));
        }

        await host.StopAsync();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Data));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        var files = Directory.GetFiles(Data);
        Assert.NotEmpty(files);
        Assert.All(files, file => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file)));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private string WriteKeyFile(UnixFileMode mode)
    {
        Directory.CreateDirectory(Secrets);
        var path = Path.Combine(Secrets, "kek.key");
        File.WriteAllText(path, Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        File.SetUnixFileMode(path, mode);
        return path;
    }
}
