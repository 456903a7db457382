namespace SocketAtm.Server.Ledger.PostgreSql;

/// <summary>Where the PostgreSQL ledger lives and how it behaves towards the database; the host binds it from <c>Storage</c>.</summary>
internal sealed class PostgreSqlStorageOptions
{
    /// <summary>
    /// An Npgsql connection string (e.g. <c>Host=db;Database=socketatm;Username=atm;Password=…;Maximum Pool Size=20</c>).
    /// Holds a password: give it through the environment, never log it.
    /// </summary>
    public required string ConnectionString { get; init; }

    /// <summary>How long a terminal read from the database is served from memory before it is read again.</summary>
    public TimeSpan TerminalCacheDuration { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a batch is run again after transient failures (deadlock, lost connection) before the ledger gives up.</summary>
    public TimeSpan RetryWindow { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>After how many batches the writer deletes old batch tokens (not a setting: tests prune after every batch).</summary>
    internal int PruneCommittedBatchesEvery { get; init; } = 1000;
}
