using SocketAtm.Server.Ledger.Writer;

namespace SocketAtm.Server.Ledger.LiteDb;

/// <summary>
/// An admin operation run by the writer between batches, alone in its own transaction. It may throw
/// <see cref="ArgumentException"/> to refuse bad input: the transaction is rolled back and only this caller fails
/// (as for any exception that is not a storage failure).
/// </summary>
internal abstract class AdminWork : LedgerWork
{
    /// <summary>True when the operation only reads: no transaction, no sync.</summary>
    public abstract bool IsReadOnly { get; }

    public abstract void Execute(LedgerStore store, DateTimeOffset now);

    public abstract void Complete();
}
