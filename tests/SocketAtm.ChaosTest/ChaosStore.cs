using System.Security.Cryptography;

namespace SocketAtm.ChaosTest;

/// <summary>
/// Where the hosts keep the books: the one host's LiteDB data directory, or one PostgreSQL database that two hosts share
/// with one key-encryption key, given through the environment as an operator gives secrets (as the crash test's store).
/// </summary>
internal sealed class ChaosStore
{
    public ChaosStore(string? connectionString)
    {
        ConnectionString = connectionString;
        KeyEncryptionKey = connectionString is null ? null : Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
    }

    /// <summary>The shared PostgreSQL database, or null for LiteDB.</summary>
    public string? ConnectionString { get; }

    /// <summary>The hosts' KEK on PostgreSQL; null on LiteDB, which keeps its KEK file in the data directory.</summary>
    public string? KeyEncryptionKey { get; }

    public string Description => ConnectionString is null ? "LiteDB" : "one PostgreSQL database";

    public IReadOnlyDictionary<string, string> Environment => ConnectionString is null
        ? new Dictionary<string, string>(StringComparer.Ordinal)
        : new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["SOCKETATM_Storage__Provider"] = "PostgreSql",
            ["SOCKETATM_Storage__ConnectionString"] = ConnectionString,
            ["SOCKETATM_Ledger__KeyEncryptionKey"] = KeyEncryptionKey!,
        };
}
