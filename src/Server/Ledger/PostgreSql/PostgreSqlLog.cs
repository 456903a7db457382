using Microsoft.Extensions.Logging;

namespace SocketAtm.Server.Ledger.PostgreSql;

/// <summary>The PostgreSQL ledger's log events (3100–3149). The connection string is never logged.</summary>
internal static partial class PostgreSqlLog
{
    [LoggerMessage(3100, LogLevel.Information, "PostgreSQL ledger opened on {Host}/{Database}: schema version {Version}, {Accounts} accounts, {JournalRows} journal rows, invariants hold")]
    public static partial void Opened(ILogger logger, string? host, string? database, int version, int accounts, long journalRows);

    [LoggerMessage(3101, LogLevel.Information, "PostgreSQL ledger schema migrated from version {From} to {To}")]
    public static partial void Migrated(ILogger logger, int from, int to);

    [LoggerMessage(3102, LogLevel.Warning, "PostgreSQL ledger batch of {Count} requests runs again (attempt {Attempt} failed: {Failure} {SqlState})")]
    public static partial void BatchRetried(ILogger logger, int count, int attempt, string failure, string? sqlState);

    [LoggerMessage(3104, LogLevel.Warning, "PostgreSQL ledger ended backend {Pid}, whose batch was cut off during its commit, before looking up whether it committed")]
    public static partial void InDoubtBackendEnded(ILogger logger, int pid);

    [LoggerMessage(3103, LogLevel.Information, "PostgreSQL ledger batch of {Count} requests committed at attempt {Attempt}")]
    public static partial void BatchCommittedAfterRetry(ILogger logger, int count, int attempt);

    [LoggerMessage(3105, LogLevel.Warning, "PostgreSQL ledger read failed ({Failure} {SqlState}): checking that the database is reachable, the host stops if it stays away for Storage:RetryWindow")]
    public static partial void StorageSuspected(ILogger logger, string failure, string? sqlState);
}
