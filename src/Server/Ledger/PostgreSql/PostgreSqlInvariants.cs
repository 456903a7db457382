using Npgsql;

namespace SocketAtm.Server.Ledger.PostgreSql;

/// <summary>
/// The ledger's invariants checked in SQL (as the LiteDB ledger checks them over its collections): every account's
/// balance is its opening balance plus the journal's deltas for it, no key was decided twice, and decided journal rows
/// (a forward decides its key too) and stored outcomes match one to one, within the retention (as <see cref="LiteDb.LedgerInvariants"/> says). At most 100
/// violations of each kind are read.
/// </summary>
internal static class PostgreSqlInvariants
{
    /// <summary>Checks on one consistent snapshot, so the check holds while other hosts keep writing.</summary>
    public static Task<InvariantReport> CheckAsync(NpgsqlDataSource dataSource, DateTimeOffset now, TimeSpan retention, CancellationToken cancellationToken) =>
        PostgreSqlRetry.RetryingAsync(token => CheckOnceAsync(dataSource, now, retention, token), cancellationToken);

    private static async Task<InvariantReport> CheckOnceAsync(NpgsqlDataSource dataSource, DateTimeOffset now, TimeSpan retention, CancellationToken cancellationToken)
    {
        var heldFrom = (now - retention + LiteDb.LedgerInvariants.RetentionMargin).ToUnixTimeMilliseconds();
        var retentionMs = (long)(retention - LiteDb.LedgerInvariants.RetentionMargin).TotalMilliseconds;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var violations = new List<string>();
        await using var check = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT count(*)::integer FROM accounts"),
                new NpgsqlBatchCommand("SELECT count(*) FROM journal"),
                new NpgsqlBatchCommand(
                    "SELECT format('account %s holds %s but its opening balance and journal give %s', a.id, a.balance, a.opening_balance + coalesce(j.total, 0)) "
                    + "FROM accounts a LEFT JOIN (SELECT account_id, sum(delta) AS total FROM journal WHERE delta <> 0 GROUP BY account_id) j "
                    + "ON j.account_id = a.id WHERE a.balance <> a.opening_balance + coalesce(j.total, 0) ORDER BY a.id LIMIT 100"),
                new NpgsqlBatchCommand(
                    "SELECT format('journal row %s moves %s on no account', id, delta) FROM journal WHERE delta <> 0 AND account_id IS NULL LIMIT 100"),
                new NpgsqlBatchCommand(
                    "SELECT format('the journal moves %s on account %s, which is not on file', sum(delta), account_id) FROM journal j "
                    + "WHERE delta <> 0 AND account_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = j.account_id) "
                    + "GROUP BY account_id LIMIT 100"),
                // A key may be decided again once its stored answer was pruned. n decisions all at least a retention apart
                // span (n − 1) retentions or more; a shorter span means two of them came closer (exact for two decisions).
                BatchCommand.Of(
                    "SELECT format('key %s was applied more than once (%s journal rows)', key, count(*)) FROM journal "
                    + "WHERE disposition IN ('Decided', 'Forwarded') GROUP BY key HAVING count(*) > 1 AND max(at_ms) - min(at_ms) < (count(*) - 1) * $1 LIMIT 100",
                    retentionMs),
                // EXCEPT, not NOT EXISTS: on tables not yet analyzed, LIMIT made the planner pick a nested loop over the whole
                // journal for every key — minutes at 60,000 rows, during which a restarting host does not listen.
                new NpgsqlBatchCommand(
                    $"SELECT format('key %s has a stored outcome but no journal row', key) FROM (SELECT key FROM idempotency_keys WHERE state = {PostgreSqlSchema.Decided} "
                    + "EXCEPT SELECT key FROM journal WHERE disposition IN ('Decided', 'Forwarded')) missing LIMIT 100"),
                BatchCommand.Of(
                    "SELECT format('key %s was decided in the journal but has no stored outcome', key) FROM (SELECT key FROM journal "
                    + $"WHERE disposition IN ('Decided', 'Forwarded') AND at_ms >= $1 EXCEPT SELECT key FROM idempotency_keys WHERE state = {PostgreSqlSchema.Decided}) missing LIMIT 100",
                    heldFrom),
            },
        };
        await using var reader = await check.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var accounts = reader.GetInt32(0);
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var journalRows = reader.GetInt64(0);
        while (await reader.NextResultAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                if (violations.Count < 100)
                {
                    violations.Add(reader.GetString(0));
                }
            }
        }

        return new InvariantReport(accounts, journalRows, violations);
    }
}
