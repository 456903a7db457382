namespace SocketAtm.Server.Ledger.PostgreSql;

/// <summary>
/// Tells the shared request processor which failures are not one request's fault. A PostgreSQL batch is decided in
/// memory on rows already read, so no database error reaches the processor; what can is a failure of the process (out
/// of memory, an object disposed under it, I/O), which fails the attempt (it is run again within the retry window, or
/// fails the ledger) instead of being answered 96 as if the request alone were at fault. The same set the LiteDB ledger
/// uses, less LiteDB's own exception.
/// </summary>
internal static class PostgreSqlStorageFailure
{
    public static bool Is(Exception exception) =>
        exception is IOException or UnauthorizedAccessException or ObjectDisposedException or OutOfMemoryException;
}
