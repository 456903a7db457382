using Npgsql;

namespace SocketAtm.Server.Ledger.PostgreSql;

/// <summary>
/// One batch of <see cref="RepeatPruning"/> on PostgreSQL: a transaction of its own, outside the writer, that deletes
/// the oldest expired stored answers and markers (by the indexed <c>at_ms</c>) under an advisory lock, so that of
/// several hosts one prunes at a time and the others find nothing to do. Rows a batch holds locked are skipped, never
/// waited for; a batch that claimed a key while it was being deleted runs again (<see cref="PrunedDuringBatchException"/>).
/// </summary>
internal static class PostgreSqlPruning
{
    public static Task<int> PruneAsync(NpgsqlDataSource dataSource, DateTimeOffset cutoff, int limit, CancellationToken cancellationToken) =>
        PostgreSqlRetry.RetryingAsync(token => PruneOnceAsync(dataSource, cutoff, limit, token), cancellationToken);

    private static async Task<int> PruneOnceAsync(NpgsqlDataSource dataSource, DateTimeOffset cutoff, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand($"SELECT pg_try_advisory_xact_lock({PostgreSqlSchema.PruningLockKey})", connection, transaction))
        {
            if (!(bool)(await lockCommand.ExecuteScalarAsync(cancellationToken))!)
            {
                return 0; // another host is pruning
            }
        }

        await using var delete = new NpgsqlCommand(
            // A forwarded record still pending or owing a reversal or advice upstream is kept until it is not (ForwardingRecord.IsHeld).
            $"WITH expired AS (SELECT key FROM idempotency_keys WHERE state <> {PostgreSqlSchema.Claimed} AND at_ms < $1 "
            + "AND forward_state IS DISTINCT FROM 'Pending' AND (reversal_reason IS NULL OR reversal_acknowledged IS NOT NULL) "
            + "AND (advice_owed_at_ms IS NULL OR advice_acknowledged IS NOT NULL) "
            + "ORDER BY at_ms LIMIT $2 FOR UPDATE SKIP LOCKED) "
            + "DELETE FROM idempotency_keys AS i USING expired AS e WHERE i.key = e.key",
            connection,
            transaction)
        {
            Parameters = { new() { Value = cutoff.ToUnixTimeMilliseconds() }, new() { Value = limit } },
        };
        var deleted = await delete.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }
}
