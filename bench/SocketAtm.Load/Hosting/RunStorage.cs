using System.Security.Cryptography;
using Npgsql;
using SocketAtm.Fixtures;
using SocketAtm.Server.Hosting;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.KeyProtection;

namespace SocketAtm.Load.Hosting;

/// <summary>
/// Where the hosts of one run keep their ledger — LiteDB in each host's data directory, or one PostgreSQL database
/// they all share — and the run's key-encryption key. Hosts and admin commands learn both through environment
/// variables (the KEK and a connection string's password never appear on a command line); the correctness check opens
/// the ledger with the same settings. A throw-away PostgreSQL started here is removed when the run is disposed.
/// </summary>
internal sealed class RunStorage : IAsyncDisposable
{
    private const string ProviderVariable = "SOCKETATM_Storage__Provider";
    private const string ConnectionStringVariable = "SOCKETATM_Storage__ConnectionString";
    private const string KeyEncryptionKeyVariable = "SOCKETATM_Ledger__KeyEncryptionKey";

    private readonly string _keyEncryptionKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
    private readonly PostgreSqlServer? _server;

    private RunStorage(StorageProvider provider, string? connectionString, PostgreSqlServer? server)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _server = server;
        Description = provider switch
        {
            StorageProvider.PostgreSql when server is not null => $"PostgreSQL, a throw-away server started by the harness ({WithoutPassword(connectionString!)})",
            StorageProvider.PostgreSql => $"PostgreSQL ({WithoutPassword(connectionString!)})",
            _ => "LiteDB",
        };
    }

    public StorageProvider Provider { get; }

    /// <summary>The PostgreSQL connection string (may hold a password: never print it; see <see cref="Description"/>).</summary>
    public string? ConnectionString { get; }

    /// <summary>For the log and the report: the provider, and the connection string without its password.</summary>
    public string Description { get; }

    /// <summary>The database server's main process when the harness started it (its CPU can then be measured), else null.</summary>
    public int? DatabaseServerProcessId => _server?.ServerProcessId;

    /// <summary>Where a kept throw-away PostgreSQL lives, or null.</summary>
    public string? KeptDatabaseDirectory => _server is { KeepFiles: true } server ? server.DirectoryPath : null;

    /// <summary>What every host process and admin command of the run gets on top of the harness's own environment.</summary>
    public IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        [ProviderVariable] = Provider.ToString(),

        // Removed for LiteDB: a connection string in the harness's own environment must not reach LiteDB hosts.
        [ConnectionStringVariable] = ConnectionString,
        [KeyEncryptionKeyVariable] = _keyEncryptionKey,
    };

    /// <summary>
    /// LiteDB; or the PostgreSQL database <paramref name="connectionString"/> names (used as it is: it must be empty and
    /// dedicated to the run); or, without one, a fresh database on a throw-away PostgreSQL 15.
    /// </summary>
    /// <exception cref="InvalidOperationException">PostgreSQL cannot be started here.</exception>
    /// <exception cref="ArgumentException">The connection string is not one.</exception>
    public static async Task<RunStorage> PrepareAsync(StorageProvider provider, string? connectionString)
    {
        if (provider != StorageProvider.PostgreSql)
        {
            return new RunStorage(provider, null, null);
        }

        if (connectionString is not null)
        {
            _ = WithoutPassword(connectionString);
            return new RunStorage(provider, connectionString, null);
        }

        if (PostgreSqlServer.UnavailableReason is { } reason)
        {
            throw new InvalidOperationException($"No --connection-string and no PostgreSQL to start: {reason}");
        }

        var server = await PostgreSqlServer.StartAsync();
        try
        {
            return new RunStorage(provider, await server.CreateDatabaseAsync(), server);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>How the correctness check opens the same ledger the hosts used (the LiteDB one in <paramref name="dataDirectory"/>).</summary>
    public (LedgerOptions Ledger, StorageOptions Storage) LedgerSettings(string dataDirectory) => (
        new LedgerOptions { DataDirectory = dataDirectory, KeyEncryptionKey = _keyEncryptionKey },
        new StorageOptions { Provider = Provider, ConnectionString = ConnectionString });

    /// <summary>
    /// Writes the run's KEK where <c>admin</c> looks for it by default (kek.key, owner-only), so a kept data directory
    /// can still be opened: the host would have written the same file had it generated the key itself.
    /// </summary>
    public async Task WriteKeyFileAsync(string dataDirectory)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        Directory.CreateDirectory(dataDirectory);
        await using var writer = new StreamWriter(new FileStream(Path.Combine(dataDirectory, KeyEncryptionKeySource.DefaultFileName), options));
        await writer.WriteAsync(_keyEncryptionKey);
    }

    /// <summary>Leave a throw-away PostgreSQL's files behind (stopped) when the run is disposed.</summary>
    public void KeepDatabase()
    {
        if (_server is not null)
        {
            _server.KeepFiles = true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <exception cref="ArgumentException">Not a connection string (the message does not quote it).</exception>
    private static string WithoutPassword(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException)
        {
            throw new ArgumentException("--connection-string is not a valid PostgreSQL connection string.");
        }

        builder.Password = null;
        return builder.ToString();
    }
}
