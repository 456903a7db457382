using Microsoft.Extensions.Logging;

namespace SocketAtm.Server.Ledger;

/// <summary>
/// A ledger's storage failure, once it happens: every later request is refused with <see cref="LedgerUnavailableException"/>
/// and the host is told (it stops itself). Kept by the <see cref="Writer.LedgerQueue"/> both stores' ledgers share.
/// </summary>
internal sealed class LedgerFailure(Action<Exception>? onFatal, ILogger logger)
{
    private volatile Exception? _failure;

    public bool HasFailed => _failure is not null;

    /// <summary>The exception to refuse work with: the storage failure if there was one, else "closed".</summary>
    public LedgerUnavailableException Unavailable() =>
        _failure is { } failure
            ? new LedgerUnavailableException("The ledger's storage failed; nothing more is applied.", failure)
            : new LedgerUnavailableException("The ledger is closed.");

    /// <summary>
    /// Records the failure, stops the ledger taking work, then tells the host; once only (the writer and the PostgreSQL
    /// outage probe may both see the same outage), later failures only stop the ledger taking work.
    /// </summary>
    public void Record(Exception exception, Action stopTakingWork)
    {
        ArgumentNullException.ThrowIfNull(stopTakingWork);
        if (Interlocked.CompareExchange(ref _failure, exception, null) is not null)
        {
            stopTakingWork();
            return;
        }

        stopTakingWork();
        try
        {
            onFatal?.Invoke(exception);
        }
        catch (Exception callbackFailure) when (callbackFailure is not OutOfMemoryException)
        {
            // The host's reaction to the failure failed; the ledger is unavailable either way.
            LedgerLog.StorageFailed(logger, callbackFailure);
        }
    }
}
