using Npgsql;
using SocketAtm.Server.Ledger.Acquiring;
using SocketAtm.Server.Ledger.KeyProtection;
using SocketAtm.Server.Ledger.Model;

namespace SocketAtm.Server.Ledger.PostgreSql;

/// <summary>
/// The acquirer's reads on PostgreSQL (<see cref="IAcquirerLedger"/>): a forwarded record, the reversals owed to a route,
/// the pending forwards for the restart sweep, and the book. Each reads committed rows, of every host of the database, on
/// a connection of its own (the writer changes them, in its batches); the partial indexes of migration 8 serve them.
/// </summary>
internal sealed class PostgreSqlForwards(NpgsqlDataSource dataSource, KeyProtector protector)
{
    private static readonly string Forwarded = $"state = {PostgreSqlSchema.Decided} AND forward_route IS NOT NULL";

    /// <summary>A reversal or an advice owed and not acknowledged: the conditions of the owed indexes (migrations 8 and 9).</summary>
    private const string Owed =
        "((reversal_reason IS NOT NULL AND reversal_acknowledged IS NULL) OR (advice_owed_at_ms IS NOT NULL AND advice_acknowledged IS NULL))";

    /// <summary>When the owed message became owed: the advice's time while one is owed (it goes first), else the reversal's.</summary>
    private const string OwedAt = "CASE WHEN advice_owed_at_ms IS NOT NULL AND advice_acknowledged IS NULL THEN advice_owed_at_ms ELSE reversal_owed_at_ms END";

    public Task<ForwardedRequest?> FindAsync(RequestKey key, CancellationToken cancellationToken) =>
        PostgreSqlRetry.RetryingAsync(
            async token => (await ReadRecordsAsync($"{Forwarded} AND key = $1 LIMIT 1", [key.ToString()], token)).Select(ForwardedRequest.Of).FirstOrDefault(),
            cancellationToken);

    public Task<IReadOnlyList<OwedMessage>> ListOwedAsync(string route, int limit, CancellationToken cancellationToken) =>
        PostgreSqlRetry.RetryingAsync<IReadOnlyList<OwedMessage>>(
            async token => [.. (await ReadRecordsAsync(
                    $"forward_route = $1 AND {Owed} AND saf_refused IS NULL "
                    + $"AND state = {PostgreSqlSchema.Decided} ORDER BY {OwedAt}, key LIMIT $2",
                    [route, Math.Max(0, limit)],
                    token))
                .Select(record => OwedMessage.Of(
                    record, record.Forwarding!.SealedPan is { } sealedPan ? protector.UnprotectPan(sealedPan, record.Key) : string.Empty))],
            cancellationToken);

    /// <summary>Every owed message of <paramref name="route"/> (all routes when null), queued or an exception, oldest first; PANs not decrypted.</summary>
    public Task<IReadOnlyList<OwedMessage>> ListSafAsync(string? route, int limit, CancellationToken cancellationToken) =>
        PostgreSqlRetry.RetryingAsync<IReadOnlyList<OwedMessage>>(
            async token => [.. (await ReadRecordsAsync(
                    $"($1::text IS NULL OR forward_route = $1) AND {Owed} AND state = {PostgreSqlSchema.Decided} ORDER BY {OwedAt}, key LIMIT $2",
                    [(object?)route ?? DBNull.Value, Math.Max(0, limit)],
                    token))
                .Select(record => OwedMessage.Of(record, string.Empty))],
            cancellationToken);

    public Task<OwedMessage?> FindSafAsync(string retrievalReference, CancellationToken cancellationToken) =>
        PostgreSqlRetry.RetryingAsync(
            async token => (await ReadRecordsAsync(
                    $"retrieval_reference = $1 AND {Owed} AND state = {PostgreSqlSchema.Decided} LIMIT 1", [retrievalReference], token))
                .Select(record => OwedMessage.Of(record, string.Empty))
                .FirstOrDefault(),
            cancellationToken);

    public Task<IReadOnlyList<JournalRecord>> ListDisputedAdvicesAsync(int limit, CancellationToken cancellationToken) =>
        PostgreSqlRetry.RetryingAsync<IReadOnlyList<JournalRecord>>(
            async token =>
            {
                await using var command = dataSource.CreateCommand(
                    $"SELECT {PostgreSqlRows.JournalColumns} FROM journal WHERE upstream_route IS NOT NULL "
                    + $"AND disposition = '{nameof(JournalDisposition.AdviceDisputed)}' ORDER BY id DESC LIMIT $1");
                command.Parameters.Add(new NpgsqlParameter { Value = Math.Max(0, limit) });
                await using var reader = await command.ExecuteReaderAsync(token);
                var rows = new List<JournalRecord>();
                while (await reader.ReadAsync(token))
                {
                    rows.Add(PostgreSqlRows.ToJournal(reader));
                }

                return rows;
            },
            cancellationToken);

    public Task<SafRouteSummary> SummarizeSafAsync(string route, DateTimeOffset expiredBefore, CancellationToken cancellationToken) =>
        PostgreSqlRetry.RetryingAsync(
            async token =>
            {
                await using var command = dataSource.CreateCommand(
                    "SELECT count(*) FILTER (WHERE saf_refused IS NULL)::integer, count(*) FILTER (WHERE saf_refused IS NOT NULL)::integer, "
                    + $"count(*) FILTER (WHERE {OwedAt} < $2)::integer, min({OwedAt}) "
                    + $"FROM idempotency_keys WHERE forward_route = $1 AND {Owed} AND state = {PostgreSqlSchema.Decided}");
                command.Parameters.Add(new NpgsqlParameter { Value = route });
                command.Parameters.Add(new NpgsqlParameter { Value = expiredBefore.ToUnixTimeMilliseconds() });
                await using var reader = await command.ExecuteReaderAsync(token);
                await reader.ReadAsync(token);
                return new SafRouteSummary(
                    reader.GetInt32(0),
                    reader.GetInt32(1),
                    reader.GetInt32(2),
                    reader.IsDBNull(3) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)));
            },
            cancellationToken);

    public Task<IReadOnlyList<ForwardedRequest>> ListPendingAsync(DateTimeOffset forwardedBefore, int limit, CancellationToken cancellationToken) =>
        PostgreSqlRetry.RetryingAsync<IReadOnlyList<ForwardedRequest>>(
            async token => [.. (await ReadRecordsAsync(
                    $"forward_state = 'Pending' AND at_ms < $1 AND state = {PostgreSqlSchema.Decided} ORDER BY at_ms, key LIMIT $2",
                    [forwardedBefore.ToUnixTimeMilliseconds(), Math.Max(0, limit)],
                    token))
                .Select(ForwardedRequest.Of)],
            cancellationToken);

    /// <summary>As <see cref="AcquirerBook.Of"/> computes it, in SQL: the net per route and RRN, for the RRNs an approval was recorded on.</summary>
    public Task<IReadOnlyList<AcquirerBookEntry>> ListBookAsync(string? route, CancellationToken cancellationToken) =>
        PostgreSqlRetry.RetryingAsync(token => ReadBookAsync(route, token), cancellationToken);

    private async Task<IReadOnlyList<AcquirerBookEntry>> ReadBookAsync(string? route, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT upstream_route, upstream_reference, sum(upstream_amount)::bigint FROM journal "
            + "WHERE upstream_route IS NOT NULL AND ($1::text IS NULL OR upstream_route = $1) GROUP BY upstream_route, upstream_reference "
            + $"HAVING bool_or(disposition IN ('{nameof(JournalDisposition.IssuerAnswered)}', '{nameof(JournalDisposition.StoodIn)}') AND kind = '{nameof(TransactionKind.Withdrawal)}' "
            + $"AND response_code = '{ResponseCodes.Approved}') "
            + "ORDER BY upstream_route COLLATE \"C\", upstream_reference COLLATE \"C\"");
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)route ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var lines = new List<AcquirerBookEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            lines.Add(new AcquirerBookEntry(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        }

        return lines;
    }

    private async Task<List<IdempotencyRecord>> ReadRecordsAsync(string condition, object?[] values, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {PostgreSqlRows.IdempotencyColumns} FROM idempotency_keys WHERE {condition}");
        foreach (var value in values)
        {
            // A null (DBNull) has no type of its own: the statement casts it.
            command.Parameters.Add(value is DBNull ? new NpgsqlParameter { Value = value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text } : new NpgsqlParameter { Value = value });
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var records = new List<IdempotencyRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(PostgreSqlRows.ToDecided(reader));
        }

        return records;
    }
}
