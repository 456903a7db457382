using Microsoft.Extensions.Logging;

namespace SocketAtm.Server.Ledger;

/// <summary>
/// Keeps the idempotency state from growing without bound: deletes stored answers and reversal markers older than
/// <see cref="LedgerOptions.RepeatRetention"/>, <see cref="BatchSize"/> at a time, off the request path. It runs every
/// <see cref="Interval"/>, and again at once while a batch comes back full, so a backlog (the first start after an
/// upgrade) drains without a long transaction. The journal is never pruned. What a batch is, and how it stays out of the
/// writer's way, is the store's: on LiteDB a queued work item between group commits, on PostgreSQL a transaction of its
/// own that one host at a time runs.
/// </summary>
internal sealed class RepeatPruning : IAsyncDisposable
{
    /// <summary>Most records one batch deletes: a LiteDB transaction of this size takes milliseconds.</summary>
    public const int BatchSize = 1_000;

    /// <summary>How often pruning looks for expired records.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private readonly Func<DateTimeOffset, int, CancellationToken, Task<int>> _pruneBatch;
    private readonly TimeSpan _retention;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();

    // One pass at a time on this host: a pass called while the timer's is running waits for it rather than overlapping it.
    // On PostgreSQL an overlapping pass would find the pruning lock taken, skip, and return before the timer's pass has
    // committed, so "everything expired is pruned" would not hold when it returns.
    private readonly SemaphoreSlim _onePass = new(1, 1);
    private Task _running = Task.CompletedTask;

    /// <param name="pruneBatch">Deletes at most the given number of records decided (or left) before the cutoff; returns how many.</param>
    public RepeatPruning(Func<DateTimeOffset, int, CancellationToken, Task<int>> pruneBatch, TimeSpan retention, TimeProvider time, ILogger logger)
    {
        _pruneBatch = pruneBatch;
        _retention = retention;
        _time = time;
        _logger = logger;
    }

    public void Start() => _running = Task.Run(RunAsync);

    /// <summary>Prunes everything expired now, batch after batch; returns how many records went.</summary>
    public async Task<int> PruneExpiredAsync(CancellationToken cancellationToken)
    {
        await _onePass.WaitAsync(cancellationToken);
        try
        {
            var total = 0;
            while (true)
            {
                var pruned = await _pruneBatch(_time.GetUtcNow() - _retention, BatchSize, cancellationToken);
                total += pruned;
                if (pruned < BatchSize)
                {
                    return total;
                }
            }
        }
        finally
        {
            _onePass.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _running;
        _stopping.Dispose();
        _onePass.Dispose();
    }

    private async Task RunAsync()
    {
        var stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, _time, stopping);
                var pruned = await PruneExpiredAsync(stopping);
                if (pruned > 0)
                {
                    LedgerLog.PrunedRepeats(_logger, pruned, _retention);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (LedgerUnavailableException)
            {
                // The ledger is closing, or its storage failed (which the host has been told of): nothing left to prune.
                return;
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // A database briefly away, say: the records are still there at the next interval.
                LedgerLog.PruningFailed(_logger, exception);
            }
        }
    }
}
