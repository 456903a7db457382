namespace SocketAtm.Server.Ledger.Writer;

/// <summary>Something queued for a store's writer: a financial request, or (on LiteDB) an admin operation.</summary>
internal abstract class LedgerWork
{
    /// <summary>Completes the caller's task with <paramref name="exception"/>; the work was not (durably) done.</summary>
    public abstract void Fail(Exception exception);

    /// <summary>
    /// Fails work of a kind <paramref name="writer"/> does not run, naming its type: a defect of whoever queued it, which
    /// fails that caller loudly and leaves the ledger serving (cast to a request instead, it would have been taken for
    /// a storage failure and stopped the host, its caller left waiting for ever).
    /// </summary>
    public void FailAsUnknownTo(string writer) =>
        Fail(new InvalidOperationException($"The {writer} does not run work of type {GetType().FullName}; it was not done."));
}
