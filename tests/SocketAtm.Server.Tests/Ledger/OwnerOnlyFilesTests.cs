namespace SocketAtm.Server.Tests.Ledger;

/// <summary>What a new LiteDB ledger creates — its data directory, data file, log and generated key-encryption key — is the service account's alone.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class OwnerOnlyFilesTests
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task A_new_ledger_creates_its_directory_0700_and_its_files_0600()
    {
        await using var context = await LedgerTestContext.OpenedAsync(options => options.DataDirectory = Path.Combine(options.DataDirectory, "nested"));
        await context.CloseAsync();

        Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(context.Options.DataDirectory));
        Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(context.Directory));
        foreach (var file in new[] { context.Options.DataFilePath, context.Options.LogFilePath, context.Options.KeyEncryptionKeyFilePath })
        {
            Assert.True(File.Exists(file), file);
            Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(file));
        }
    }
}
