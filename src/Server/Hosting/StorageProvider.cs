namespace SocketAtm.Server.Hosting;

/// <summary>The ledger implementations a host can run on.</summary>
internal enum StorageProvider
{
    /// <summary>The embedded LiteDB ledger in Ledger:DataDirectory: one host.</summary>
    LiteDb,

    /// <summary>A PostgreSQL database shared by several hosts.</summary>
    PostgreSql,
}
