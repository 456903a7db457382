using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using SocketAtm.Server.Ledger.KeyProtection;
using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Ledger.Writer;
using SocketAtm.Server.Security;

namespace SocketAtm.Server.Ledger.PostgreSql;

/// <summary>
/// The host's single writer on PostgreSQL, with group commit. It takes every request queued (up to the batch size)
/// and applies them in one transaction of two round trips: the first claims the batch's idempotency keys and locks
/// the rows its requests can reach; the same <see cref="RequestProcessor"/> as on LiteDB then decides every request
/// in memory; the second writes each changed row once, with its final value, and commits. Callers are completed only
/// after the commit (synchronous_commit stays on, so the commit is durable on the database).
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
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(1);

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
        PinVerifier pins,
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
                    _batch.Add((RequestWork)work);
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
                    var backend = await LoadAsync(connection, batch, unit, now);
                    foreach (var work in batch)
                    {
                        work.Outcome = _processor.Process(work.Request, unit, now);
                    }

                    inDoubt = backend;
                    await WriteAndCommitAsync(connection, unit, token);
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
            catch (Exception exception) when (IsTransient(exception) && Stopwatch.GetElapsedTime(started) < _retryWindow)
            {
                PostgreSqlLog.BatchRetried(_logger, batch.Count, attempt, exception.GetType().Name, (exception as PostgresException)?.SqlState);
                await Task.Delay(RetryDelay(attempt));
            }
        }
    }

    private void Finish(List<RequestWork> batch, int attempt, long started)
    {
        _metrics.RecordCommit(batch.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (attempt > 1)
        {
            PostgreSqlLog.BatchCommittedAfterRetry(_logger, batch.Count, attempt);
        }

        foreach (var work in batch)
        {
            work.Complete();
        }
    }

    private static long NextAfter(LedgerSequences sequences) =>
        Math.Max(sequences.Journal, Math.Max(sequences.RetrievalReference, sequences.AuthorizationId)) + 1;

    /// <summary>
    /// True for failures after which the same work may simply run again: serialization failures, deadlocks, the server
    /// shutting down or terminating the session, and lost connections.
    /// </summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected
            or PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
            || postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
            || postgres.IsTransient,
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is IOException or TimeoutException or System.Net.Sockets.SocketException,
        TimeoutException or IOException => true,
        _ => false,
    };

    private static TimeSpan RetryDelay(int attempt) =>
        TimeSpan.FromMilliseconds(Math.Min(MaxRetryDelay.TotalMilliseconds, 5 * Math.Pow(2, attempt) * (0.5 + Random.Shared.NextDouble())));

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

    /// <summary>Opens the batch's transaction, claims, locks and reads its rows into <paramref name="unit"/>; returns the backend it runs on.</summary>
    private async Task<AttemptBackend> LoadAsync(NpgsqlConnection connection, List<RequestWork> batch, PostgreSqlUnitOfWork unit, DateTimeOffset now)
    {
        var pansByDigest = new Dictionary<string, string>(StringComparer.Ordinal);
        var claims = new SortedSet<string>(StringComparer.Ordinal);
        var originals = new HashSet<string>(StringComparer.Ordinal);
        var pinTerminals = new HashSet<string>(StringComparer.Ordinal);
        foreach (var work in batch)
        {
            var request = work.Request;
            claims.Add(request.Key.ToString());
            if (request.EncryptedPinBlock is not null)
            {
                pinTerminals.Add(request.Key.TerminalId);
            }

            if (request.OriginalKey is { } original)
            {
                claims.Add(original.ToString());
                originals.Add(original.ToString());
            }

            if (!string.IsNullOrEmpty(request.Pan))
            {
                pansByDigest.TryAdd(_protector.PanDigest(request.Pan), request.Pan);
            }
        }

        var claimKeys = claims.ToArray();
        var originalKeys = originals.ToArray();
        var digests = pansByDigest.Keys.ToArray();
        await using var load = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("BEGIN ISOLATION LEVEL READ COMMITTED"),
                Command(
                    $"INSERT INTO idempotency_keys (key, state) SELECT k, {PostgreSqlSchema.Claimed} FROM unnest($1::text[]) AS k ORDER BY k "
                    + "ON CONFLICT (key) DO NOTHING RETURNING key",
                    (object)claimKeys),
                Command(
                    $"SELECT {PostgreSqlRows.IdempotencyColumns} FROM idempotency_keys WHERE key = ANY($1) AND state <> {PostgreSqlSchema.Claimed} "
                    + "ORDER BY key FOR UPDATE",
                    (object)claimKeys),
                Command(
                    $"SELECT {PostgreSqlRows.AccountColumns} FROM accounts WHERE id IN ("
                    + "SELECT unnest(account_ids) FROM cards WHERE pan_digest = ANY($1) "
                    + $"UNION SELECT account_id FROM idempotency_keys WHERE key = ANY($2) AND state = {PostgreSqlSchema.Decided} AND account_id IS NOT NULL) "
                    + "ORDER BY id FOR UPDATE",
                    digests,
                    originalKeys),
                Command($"SELECT {PostgreSqlRows.CardColumns} FROM cards WHERE pan_digest = ANY($1) ORDER BY id FOR UPDATE", (object)digests),
                Command(
                    $"SELECT {PostgreSqlRows.UsageColumns} FROM daily_usage WHERE (card_id, day) IN ("
                    + "SELECT id, $2 FROM cards WHERE pan_digest = ANY($1) "
                    + $"UNION SELECT card_id, usage_day FROM idempotency_keys WHERE key = ANY($3) AND state = {PostgreSqlSchema.Decided} AND card_id IS NOT NULL) "
                    + "ORDER BY card_id, day FOR UPDATE",
                    digests,
                    DailyUsageRecord.BusinessDay(now),
                    originalKeys),
                // Not locked: a key exchange commits before its answer leaves, so a PIN block under its keys can only reach
                // a batch that reads them here; read in this transaction, they are the keys a PIN try may count against.
                Command($"SELECT {TerminalRow.Columns} FROM terminals WHERE terminal_id = ANY($1)", (object)pinTerminals.ToArray()),
                new NpgsqlBatchCommand(CommittedBatches.AttemptBackendQuery),
            },
        };

        // BEGIN returns no rows, so the reader starts at the claims.
        await using var reader = await load.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            unit.ClaimedKeys.Add(reader.GetString(0));
        }

        await reader.NextResultAsync();
        while (await reader.ReadAsync())
        {
            if (PostgreSqlRows.State(reader) == PostgreSqlSchema.Marker)
            {
                unit.LoadMarker(PostgreSqlRows.ToMarker(reader));
            }
            else
            {
                unit.LoadDecided(PostgreSqlRows.ToDecided(reader));
            }
        }

        await reader.NextResultAsync();
        while (await reader.ReadAsync())
        {
            unit.LoadAccount(PostgreSqlRows.ToAccount(reader));
        }

        await reader.NextResultAsync();
        while (await reader.ReadAsync())
        {
            unit.LoadCard(PostgreSqlRows.ToCard(reader, pansByDigest[PostgreSqlRows.CardDigest(reader)]));
        }

        await reader.NextResultAsync();
        while (await reader.ReadAsync())
        {
            unit.LoadDailyUsage(PostgreSqlRows.ToUsage(reader));
        }

        await reader.NextResultAsync();
        while (await reader.ReadAsync())
        {
            unit.LoadTerminal(TerminalRow.Read(reader));
        }

        await reader.NextResultAsync();
        await reader.ReadAsync();
        return new AttemptBackend(reader.GetInt32(0), reader.GetDateTime(1));
    }

    private static async Task WriteAndCommitAsync(NpgsqlConnection connection, PostgreSqlUnitOfWork unit, Guid token)
    {
        await using var write = new NpgsqlBatch(connection);

        write.BatchCommands.Add(new NpgsqlBatchCommand(DurableCommits.ForTransaction));
        var cards = unit.ChangedCards.ToList();
        if (cards.Count > 0)
        {
            write.BatchCommands.Add(Command(
                "UPDATE cards AS c SET status = v.status, pin_tries = v.pin_tries "
                + "FROM unnest($1::bigint[], $2::text[], $3::integer[]) AS v(id, status, pin_tries) WHERE c.id = v.id",
                cards.Select(card => card.Id).ToArray(),
                cards.Select(card => card.Status.ToString()).ToArray(),
                cards.Select(card => card.PinTries).ToArray()));
        }

        var accounts = unit.ChangedAccounts.ToList();
        if (accounts.Count > 0)
        {
            // The accounts are locked, so each still holds the balance the batch read; the assertion proves it.
            write.BatchCommands.Add(Command(
                "WITH changed AS (UPDATE accounts AS a SET balance = v.balance "
                + "FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS v(id, loaded, balance) "
                + "WHERE a.id = v.id AND a.balance = v.loaded RETURNING a.id) "
                + "SELECT ledger_assert((SELECT count(*) FROM changed) = $4, 'an account balance moved under its batch')",
                accounts.Select(pair => pair.Account.Id).ToArray(),
                accounts.Select(pair => pair.LoadedBalance).ToArray(),
                accounts.Select(pair => pair.Account.Balance).ToArray(),
                (long)accounts.Count));
        }

        var usage = unit.ChangedUsage.ToList();
        if (usage.Count > 0)
        {
            write.BatchCommands.Add(Command(
                "INSERT INTO daily_usage (card_id, day, amount, count) "
                + "SELECT * FROM unnest($1::bigint[], $2::integer[], $3::bigint[], $4::integer[]) "
                + "ON CONFLICT (card_id, day) DO UPDATE SET amount = excluded.amount, count = excluded.count",
                usage.Select(row => row.CardId).ToArray(),
                usage.Select(row => row.Day).ToArray(),
                usage.Select(row => row.Amount).ToArray(),
                usage.Select(row => row.Count).ToArray()));
        }

        var decisions = unit.ChangedDecisions.ToList();
        if (decisions.Count > 0)
        {
            write.BatchCommands.Add(Command(
                $"WITH changed AS (UPDATE idempotency_keys AS i SET state = {PostgreSqlSchema.Decided}, kind = v.kind, mti = v.mti, "
                + "journal_id = v.journal_id, response_code = v.response_code, authorization_id = v.authorization_id, "
                + "retrieval_reference = v.retrieval_reference, account_type = v.account_type, ledger_balance = v.ledger_balance, "
                + "available_balance = v.available_balance, currency = v.currency, masked_pan = v.masked_pan, card_id = v.card_id, "
                + "account_id = v.account_id, applied_amount = v.applied_amount, usage_day = v.usage_day, reversed_by_key = v.reversed_by_key, "
                + "marker_reversal_key = NULL, marker_at_ms = NULL "
                + "FROM unnest($1::text[], $2::text[], $3::integer[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::integer[], "
                + "$9::bigint[], $10::bigint[], $11::integer[], $12::text[], $13::bigint[], $14::bigint[], $15::bigint[], $16::integer[], $17::text[]) "
                + "AS v(key, kind, mti, journal_id, response_code, authorization_id, retrieval_reference, account_type, ledger_balance, "
                + "available_balance, currency, masked_pan, card_id, account_id, applied_amount, usage_day, reversed_by_key) "
                + "WHERE i.key = v.key RETURNING i.key) "
                + "SELECT ledger_assert((SELECT count(*) FROM changed) = $18, 'a decided key was neither claimed nor stored')",
                decisions.Select(record => record.Key).ToArray(),
                decisions.Select(record => record.Kind.ToString()).ToArray(),
                decisions.Select(record => record.Mti).ToArray(),
                decisions.Select(record => record.JournalId).ToArray(),
                decisions.Select(record => record.Outcome.ResponseCode).ToArray(),
                decisions.Select(record => record.Outcome.AuthorizationId).ToArray(),
                decisions.Select(record => record.Outcome.RetrievalReference).ToArray(),
                decisions.Select(record => (int)record.Outcome.AccountType).ToArray(),
                decisions.Select(record => record.Outcome.LedgerBalance).ToArray(),
                decisions.Select(record => record.Outcome.AvailableBalance).ToArray(),
                decisions.Select(record => record.Outcome.Currency).ToArray(),
                decisions.Select(record => record.MaskedPan).ToArray(),
                decisions.Select(record => record.CardId).ToArray(),
                decisions.Select(record => record.AccountId).ToArray(),
                decisions.Select(record => record.AppliedAmount).ToArray(),
                decisions.Select(record => record.UsageDay).ToArray(),
                decisions.Select(record => record.ReversedByKey).ToArray(),
                (long)decisions.Count));
        }

        var markers = unit.NewMarkers.ToList();
        if (markers.Count > 0)
        {
            write.BatchCommands.Add(Command(
                $"UPDATE idempotency_keys AS i SET state = {PostgreSqlSchema.Marker}, marker_reversal_key = v.reversal_key, marker_at_ms = v.at_ms "
                + "FROM unnest($1::text[], $2::text[], $3::bigint[]) AS v(key, reversal_key, at_ms) WHERE i.key = v.key",
                markers.Select(marker => marker.OriginalKey).ToArray(),
                markers.Select(marker => marker.ReversalKey).ToArray(),
                markers.Select(marker => marker.AtUnixMilliseconds).ToArray()));
        }

        var unused = unit.UnusedClaims.ToArray();
        if (unused.Length > 0)
        {
            write.BatchCommands.Add(Command($"DELETE FROM idempotency_keys WHERE key = ANY($1) AND state = {PostgreSqlSchema.Claimed}", (object)unused));
        }

        var journal = unit.Journal;
        if (journal.Count > 0)
        {
            write.BatchCommands.Add(Command(
                $"INSERT INTO journal ({PostgreSqlRows.JournalColumns}) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], "
                + "$4::integer[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[], "
                + "$13::text[], $14::text[], $15::text[])",
                journal.Select(entry => entry.Id).ToArray(),
                journal.Select(entry => entry.AtUnixMilliseconds).ToArray(),
                journal.Select(entry => entry.Key).ToArray(),
                journal.Select(entry => entry.Mti).ToArray(),
                journal.Select(entry => entry.Kind.ToString()).ToArray(),
                journal.Select(entry => entry.Disposition.ToString()).ToArray(),
                journal.Select(entry => entry.TerminalId).ToArray(),
                journal.Select(entry => entry.MaskedPan).ToArray(),
                journal.Select(entry => entry.CardId).ToArray(),
                journal.Select(entry => entry.AccountId).ToArray(),
                journal.Select(entry => entry.Amount).ToArray(),
                journal.Select(entry => entry.Delta).ToArray(),
                journal.Select(entry => entry.ResponseCode).ToArray(),
                journal.Select(entry => entry.AuthorizationId).ToArray(),
                journal.Select(entry => entry.RetrievalReference).ToArray()));
        }

        write.BatchCommands.Add(CommittedBatches.Record(token));
        write.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        await write.ExecuteNonQueryAsync();
    }

    /// <summary>A batch command with positional parameters ($1, $2, …). A lone array argument must be cast to object, or it is taken for the list.</summary>
    public static NpgsqlBatchCommand Command(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(value switch
            {
                long?[] nullableLongs => new NpgsqlParameter { Value = nullableLongs, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint },
                string?[] strings => new NpgsqlParameter { Value = strings, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                _ => new NpgsqlParameter { Value = value ?? DBNull.Value },
            });
        }

        return command;
    }

    private void Fail(Exception exception) => _queue.FailAll(exception, _batch);
}
