using System.Data;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace SocketAtm.Server.Ledger.PostgreSql;

/// <summary>
/// The <c>committed_batches</c> tokens: each batch's commit records its token, so that a batch whose connection was lost
/// during the commit can tell whether it committed. The token alone is only conclusive once the attempt can no longer
/// commit: a backend whose client is gone may still be working through the COMMIT (waiting on a lock in a deferred
/// trigger, or for its WAL flush) and finish after a lookup on a fresh connection found nothing; the batch run again
/// would then find its own keys decided and answer its own approvals 94. So the attempt's backend is ended first.
/// </summary>
/// <remarks>Times are the database's (<c>clock_timestamp()</c>): hosts' clocks may disagree, and a host ahead would
/// otherwise prune the tokens another host still needs.</remarks>
internal sealed class CommittedBatches(NpgsqlDataSource dataSource, TimeSpan keepFor, TimeSpan terminationWait, ILogger logger)
{
    /// <summary>The last statement of a batch's load: the backend the attempt runs on, which the doubt may have to end.</summary>
    public const string AttemptBackendQuery = "SELECT pid, backend_start FROM pg_stat_get_activity(pg_backend_pid())";

    private const string DatabaseNowMilliseconds = "(extract(epoch FROM clock_timestamp()) * 1000)::bigint";

    /// <summary>Inserts the batch's token ($1) inside the batch's transaction.</summary>
    public static NpgsqlBatchCommand Record(Guid token) =>
        BatchCommand.Of($"INSERT INTO committed_batches (token, at_ms) VALUES ($1, {DatabaseNowMilliseconds})", token);

    /// <summary>
    /// Whether the attempt that ran on <paramref name="backend"/> committed the batch of <paramref name="token"/>: ends that
    /// backend, waits until it is gone, then looks the token up.
    /// </summary>
    /// <exception cref="TimeoutException">The backend is still there after the wait: the batch stays in doubt (and is tried again).</exception>
    public async Task<bool> CommittedAsync(AttemptBackend backend, Guid token)
    {
        // One round trip, as the lookup alone was: on a database that keeps cutting connections, every further one is a
        // further chance to fail. pg_stat_activity is read once per transaction, so the snapshot taken for the
        // termination is cleared before the check; the start time tells the attempt's backend from a later one given its pid.
        await using var settle = new NpgsqlBatch
        {
            BatchCommands =
            {
                BatchCommand.Of(
                    "SELECT count(pg_terminate_backend(pid, $3))::integer FROM pg_stat_activity WHERE pid = $1 AND backend_start = $2",
                    backend.Pid,
                    backend.StartedAt,
                    (long)terminationWait.TotalMilliseconds),
                new NpgsqlBatchCommand("SELECT pg_stat_clear_snapshot()"),
                BatchCommand.Of(
                    "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND backend_start = $2)", backend.Pid, backend.StartedAt),
                BatchCommand.Of("SELECT EXISTS (SELECT 1 FROM committed_batches WHERE token = $1)", token),
            },
        };
        await using var connection = await dataSource.OpenConnectionAsync();
        // Read committed whatever the database's default: under repeatable read the whole batch would read one snapshot,
        // taken before the termination wait, and miss a commit the ended backend finished during that wait (Npgsql sends
        // the BEGIN with the batch, so this costs no round trip; the transaction reads only and is rolled back on dispose).
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted);
        settle.Connection = connection;
        settle.Transaction = transaction;
        await using var reader = await settle.ExecuteReaderAsync();
        await reader.ReadAsync();
        var signalled = reader.GetInt32(0) > 0;
        await reader.NextResultAsync();
        await reader.NextResultAsync();
        await reader.ReadAsync();
        if (reader.GetBoolean(0))
        {
            throw new TimeoutException(
                $"The backend {backend.Pid} of a batch cut off during its commit was still running {terminationWait.TotalSeconds:0.#} s after it was told to end: whether the batch committed is not known yet.");
        }

        if (signalled)
        {
            PostgreSqlLog.InDoubtBackendEnded(logger, backend.Pid);
        }

        await reader.NextResultAsync();
        await reader.ReadAsync();
        return reader.GetBoolean(0);
    }

    /// <summary>Deletes the tokens older than their keeping time; housekeeping, so a failure is left to the next prune.</summary>
    public async Task PruneAsync()
    {
        try
        {
            await using var command = dataSource.CreateCommand($"DELETE FROM committed_batches WHERE at_ms < {DatabaseNowMilliseconds} - $1");
            command.Parameters.Add(new NpgsqlParameter { Value = (long)keepFor.TotalMilliseconds });
            await command.ExecuteNonQueryAsync();
        }
        catch (Exception exception) when (PostgreSqlRetry.IsTransient(exception))
        {
            // The next prune deletes what this one could not.
        }
    }
}
