using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using SocketAtm.Server.Hosting;
using SocketAtm.Server.Ledger;

namespace SocketAtm.CrashTest;

/// <summary>
/// Where the hosts under test keep the books: the one host's LiteDB data directory, or one PostgreSQL database that
/// several hosts share with one key-encryption key — as an operator would set them up (README, "Scaling out").
/// </summary>
internal sealed class CrashStore
{
    private readonly string? _connectionString;
    private readonly string? _keyEncryptionKey;

    private CrashStore(string? connectionString)
    {
        _connectionString = connectionString;
        if (connectionString is not null)
        {
            _keyEncryptionKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        }
    }

    public bool IsShared => _connectionString is not null;

    public string Description => IsShared ? "one PostgreSQL database" : "LiteDB";

    /// <summary>What every host and admin command is started with: nothing for LiteDB (its KEK file sits in the data directory).</summary>
    public IReadOnlyDictionary<string, string> Environment => IsShared
        ? new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["SOCKETATM_Storage__Provider"] = nameof(StorageProvider.PostgreSql),
            ["SOCKETATM_Storage__ConnectionString"] = _connectionString!,
            ["SOCKETATM_Ledger__KeyEncryptionKey"] = _keyEncryptionKey!,
        }
        : new Dictionary<string, string>(StringComparer.Ordinal);

    public static CrashStore For(CrashTestOptions options) => new(options.ConnectionString);

    /// <summary>Hosts sharing the PostgreSQL database <paramref name="connectionString"/> names, with a KEK of their own.</summary>
    public static CrashStore OnPostgreSql(string connectionString) => new(connectionString);

    /// <summary>Opens the books the hosts kept, once they are all stopped, to hold them to what the terminals saw.</summary>
    /// <returns>The ledger; both implementations are also its <see cref="ILedgerAdmin"/>.</returns>
    public Task<ILedger> OpenAsync(string firstHostDataDirectory) =>
        LedgerFactory.OpenAsync(
            new LedgerOptions { DataDirectory = firstHostDataDirectory, SeedDemoData = false, KeyEncryptionKey = _keyEncryptionKey },
            new StorageOptions { Provider = IsShared ? StorageProvider.PostgreSql : StorageProvider.LiteDb, ConnectionString = _connectionString },
            TimeProvider.System,
            onFatal: null,
            meterFactory: null,
            NullLoggerFactory.Instance,
            streams: null,
            CancellationToken.None);
}
