using LiteDB;

namespace SocketAtm.Server.Ledger.LiteDb;

/// <summary>Tells the failures of the storage engine, after which the ledger must stop, from those of one request.</summary>
internal static class LiteDbStorageFailure
{
    public static bool Is(Exception exception) =>
        exception is LiteException or IOException or UnauthorizedAccessException or ObjectDisposedException or OutOfMemoryException;
}
