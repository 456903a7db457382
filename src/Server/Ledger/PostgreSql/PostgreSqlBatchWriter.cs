using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;
using SocketAtm.Server.Ledger.KeyProtection;
using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Ledger.Writer;
using SocketAtm.Server.Security;

namespace SocketAtm.Server.Ledger.PostgreSql;

/// <summary>
/// The host's single writer on PostgreSQL, with group commit. It takes every request queued (up to the batch size)
/// and applies them in one transaction of two round trips: the first claims the batch's idempotency keys and locks
/// the rows its requests can reach; the same <see cref="RequestProcessor"/> as on LiteDB then decides every request
/// in memory; the second writes each changed row once, with its final value, and commits (their SQL is
/// <see cref="BatchRoundTrips"/>; this class is the loop, the ids and the retry). Callers are completed only after the
/// commit (synchronous_commit stays on, so the commit is durable on the database).
/// </summary>
/// <remarks>
/// <para>Locks are taken in one order by every host: claims on the keys (sorted), the stored keys the batch reads
/// (sorted), accounts (sorted by id), cards (by id), daily usage. Each later write touches only rows locked or
/// claimed here, so the rows a batch changes cannot move under it and hosts do not deadlock one another.</para>
/// <para>A claim (INSERT … ON CONFLICT DO NOTHING) of a key another host is deciding waits for that host to commit,
/// then reads its stored answer. A reversal claims its original's key too: an unknown original becomes a marker in
/// the same row, so a late original on another host finds the marker and is declined, never applied.</para>
/// <para>On a deadlock, a serialization failure or a lost connection the same batch runs again (its keys make that
/// safe). When the connection is lost during the commit, the attempt's backend is ended and then the batch's token in
/// <c>committed_batches</c> tells whether it committed (<see cref="CommittedBatches"/>); if it did, the answers already
/// decided are the ones given.</para>
/// </remarks>
internal sealed class PostgreSqlBatchWriter
{
    /// <summary>How long the backend of an attempt in doubt may take to end before the batch stays in doubt and is tried again.</summary>
    private static readonly TimeSpan InDoubtTerminationWait = TimeSpan.FromSeconds(5);

    private readonly NpgsqlDataSource _dataSource;
    private readonly LedgerOptions _options;
    private readonly LedgerQueue _queue;
    private readonly TimeProvider _time;
    private readonly LedgerMetrics _metrics;
    private readonly ILogger _logger;
    private readonly KeyProtector _protector;
    private readonly RequestProcessor _processor;
    private readonly TimeSpan _retryWindow;
    private readonly int _pruneEveryBatches;
    private readonly CommittedBatches _committed;
    private readonly List<RequestWork> _batch = [];
    private long _nextId;
    private int _batchesSincePrune;
    private long _endId;
    private Task? _run;

    public PostgreSqlBatchWriter(
        NpgsqlDataSource dataSource,
        KeyProtector protector,
        IssuerPinVerifiers pins,
        LedgerOptions options,
        PostgreSqlStorageOptions storage,
        LedgerQueue queue,
        TimeProvider time,
        LedgerMetrics metrics,
        ILogger logger)
    {
        _dataSource = dataSource;
        _protector = protector;
        _options = options;
        _retryWindow = storage.RetryWindow;
        _pruneEveryBatches = storage.PruneCommittedBatchesEvery;

        // A token is only looked up by its batch's own retries, within the retry window; ten windows leave a wide margin.
        _committed = new CommittedBatches(dataSource, storage.RetryWindow * 10, InDoubtTerminationWait, logger);
        _queue = queue;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _processor = new RequestProcessor(options.PinTryLimit, pins, PostgreSqlStorageFailure.Is, logger);
    }

    /// <summary>Completes when the queue is drained and closed, or after a storage failure.</summary>
    public Task Stopped => _run ?? Task.CompletedTask;

    public void Start() => _run = Task.Run(RunAsync);

    private async Task RunAsync()
    {
        try
        {
            var queue = _queue.Reader;
            while (await queue.WaitToReadAsync())
            {
                _batch.Clear();
                while (_batch.Count < Math.Min(_options.MaxBatchSize, (int)PostgreSqlSchema.IdBlockSize) && queue.TryRead(out var work))
                {
                    // Only requests are queued here: the PostgreSQL ledger runs its admin operations on connections of their own.
                    if (work is RequestWork request)
                    {
                        _batch.Add(request);
                    }
                    else
                    {
                        work.FailAsUnknownTo("PostgreSQL ledger writer");
                    }
                }

                if (_batch.Count > 0)
                {
                    await CommitWithRetryAsync(_batch);
                    if (++_batchesSincePrune >= _pruneEveryBatches)
                    {
                        _batchesSincePrune = 0;
                        await _committed.PruneAsync();
                    }
                }
            }

            LedgerLog.Closed(_logger);
        }
        catch (Exception exception)
        {
            Fail(exception);
        }
    }

    private async Task CommitWithRetryAsync(List<RequestWork> batch)
    {
        var token = Guid.NewGuid();
        var started = Stopwatch.GetTimestamp();
        // The backend of the last attempt when that attempt sent its COMMIT and lost its connection: it may have committed.
        AttemptBackend? inDoubt = null;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (inDoubt is { } doubtful)
                {
                    // Throws, leaving the batch in doubt, while that backend could still commit.
                    if (await _committed.CommittedAsync(doubtful, token))
                    {
                        Finish(batch, attempt, started);
                        return;
                    }

                    inDoubt = null;
                }

                await EnsureIdsAsync(batch.Count);
                var sequences = new LedgerSequences { Journal = _nextId - 1, RetrievalReference = _nextId - 1, AuthorizationId = _nextId - 1 };
                await using var connection = await _dataSource.OpenConnectionAsync();
                var now = _time.GetUtcNow();
                var unit = new PostgreSqlUnitOfWork(sequences, _protector);
                try
                {
                    var backend = await BatchRoundTrips.LoadAsync(connection, batch, unit, _protector, now);
                    foreach (var work in batch)
                    {
                        work.Outcome = _processor.Process(work.Request, unit, now);
                    }

                    inDoubt = backend;
                    await BatchRoundTrips.WriteAndCommitAsync(connection, unit, token);
                }
                catch (PostgresException refused) when (refused.InvariantSeverity == "ERROR")
                {
                    // The server refused a statement and keeps the session: the transaction is aborted, not committed. (A FATAL
                    // error, such as the connection being terminated, may come after the commit: that stays in doubt.)
                    inDoubt = null;
                    await RollbackQuietlyAsync(connection);
                    throw;
                }
                finally
                {
                    // Whatever happened, the ids this attempt handed out are never handed out again.
                    _nextId = Math.Max(_nextId, NextAfter(sequences));
                }

                Finish(batch, attempt, started);
                return;
            }
            catch (Exception exception) when (PostgreSqlRetry.IsTransient(exception) && Stopwatch.GetElapsedTime(started) < _retryWindow)
            {
                PostgreSqlLog.BatchRetried(_logger, batch.Count, attempt, exception.GetType().Name, (exception as PostgresException)?.SqlState);
                await Task.Delay(PostgreSqlRetry.BatchRetryDelay(attempt));
            }
        }
    }

    private void Finish(List<RequestWork> batch, int attempt, long started)
    {
        _metrics.RecordCommit(batch.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        _metrics.RecordSecurityEvents(batch);
        if (attempt > 1)
        {
            PostgreSqlLog.BatchCommittedAfterRetry(_logger, batch.Count, attempt);
        }

        foreach (var work in batch)
        {
            work.Complete(batch.Count);
        }
    }

    private static long NextAfter(LedgerSequences sequences) =>
        Math.Max(sequences.Journal, Math.Max(sequences.RetrievalReference, sequences.AuthorizationId)) + 1;

    private async Task EnsureIdsAsync(int needed)
    {
        if (_endId - _nextId >= needed)
        {
            return;
        }

        await using var command = _dataSource.CreateCommand("SELECT nextval('ledger_id_blocks')");
        var block = (long)(await command.ExecuteScalarAsync())!;
        _nextId = (block * PostgreSqlSchema.IdBlockSize) + 1;
        _endId = (block + 1) * PostgreSqlSchema.IdBlockSize;
    }

    private static async Task RollbackQuietlyAsync(NpgsqlConnection connection)
    {
        try
        {
            await using var rollback = new NpgsqlCommand("ROLLBACK", connection);
            await rollback.ExecuteNonQueryAsync();
        }
        catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException)
        {
            // The connection is broken: the server rolls the transaction back when it notices.
        }
    }

    private void Fail(Exception exception) => _queue.FailAll(exception, _batch);
}
