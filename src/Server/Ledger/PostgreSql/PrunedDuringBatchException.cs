namespace SocketAtm.Server.Ledger.PostgreSql;

/// <summary>
/// A key the batch tried to claim was stored when it tried (so not claimed) and gone when it read the stored rows: another
/// host's pruning deleted it in between. The batch runs again, and then claims the key (<see cref="PostgreSqlRetry"/>).
/// </summary>
internal sealed class PrunedDuringBatchException : Exception
{
    public PrunedDuringBatchException()
        : base("A stored answer the batch needed was pruned while the batch read it; the batch runs again.")
    {
    }

    public PrunedDuringBatchException(string message)
        : base(message)
    {
    }

    public PrunedDuringBatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
