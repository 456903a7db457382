namespace SocketAtm.Server.Ledger.Writer;

/// <summary>Something queued for a store's writer: a financial request, or (on LiteDB) an admin operation.</summary>
internal abstract class LedgerWork
{
    /// <summary>Completes the caller's task with <paramref name="exception"/>; the work was not (durably) done.</summary>
    public abstract void Fail(Exception exception);
}
