using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.PostgreSql;
using SocketAtm.Testing;

namespace SocketAtm.Server.Tests.Ledger.PostgreSql;

/// <summary>
/// The connection is lost while a batch commits. Whether or not the database committed, the terminal gets the one
/// decision that is on the books: once the attempt's backend is gone, the batch's token tells the writer whether to
/// answer or to run the batch again.
/// </summary>
[RequiresPostgreSql]
[Collection(SharedPostgreSqlServer.Name)]
public sealed class CommitInDoubtTests(PostgreSqlServerFixture postgres)
{
    /// <summary>The advisory lock a test holds to keep a batch's COMMIT waiting (in a deferred trigger).</summary>
    private const long HeldCommitLock = 4242;

    [StorageFact]
    public async Task Backend_still_committing_after_its_connection_was_lost_is_ended_before_the_batch_runs_again()
    {
        await using var context = new LedgerTestContext(options => options.KeyEncryptionKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));
        var direct = new NpgsqlConnectionStringBuilder(await postgres.Server.CreateDatabaseAsync());
        await using var proxy = new CommitCuttingProxy(direct.Port);
        var throughProxy = new NpgsqlConnectionStringBuilder(direct.ConnectionString) { Port = proxy.Port };
        await using var ledger = await PostgreSqlLedger.OpenAsync(
            context.Options, new PostgreSqlStorageOptions { ConnectionString = throughProxy.ConnectionString }, context.Time, context.FatalErrors.Add);
        await using var test = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(direct.ConnectionString) { Pooling = false }.ConnectionString);
        await test.OpenAsync();
        // Every batch's COMMIT now waits, in a deferred trigger, for a lock the test holds: a backend whose client is gone
        // goes on committing, as one waiting for its WAL flush or a lock does.
        await ExecuteAsync(test, $"""
            CREATE FUNCTION hold_commit() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM pg_advisory_xact_lock({HeldCommitLock}); RETURN NULL; END $$;
            CREATE CONSTRAINT TRIGGER hold_commit AFTER INSERT ON committed_batches DEFERRABLE INITIALLY DEFERRED
                FOR EACH ROW EXECUTE FUNCTION hold_commit();
            SELECT pg_advisory_lock({HeldCommitLock});
            """);

        proxy.ArmOnce(afterServerHasIt: true);
        var outcome = ledger.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000), CancellationToken.None).AsTask();
        var firstBackend = await WaitForAsync<int>(
            test, "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'");
        // The first attempt may commit only after the writer has made up its mind: it has ended that backend, or it runs the
        // batch again beside it (the retry then waits for the first attempt's claim).
        await WaitForAsync<bool>(
            test,
            $"SELECT true WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = {firstBackend}) OR EXISTS (SELECT 1 FROM pg_stat_activity "
            + $"WHERE datname = current_database() AND pid <> {firstBackend} AND wait_event_type = 'Lock')");
        await ExecuteAsync(test, $"SELECT pg_advisory_unlock({HeldCommitLock})");

        var answer = await outcome;
        Assert.Equal(1, proxy.Cuts);
        Assert.Empty(context.FatalErrors);
        Assert.Equal(ResponseCodes.Approved, answer.ResponseCode);
        Assert.False(answer.IsReplay);
        Assert.Equal(98_000, (await ledger.GetCardBalanceAsync(DemoCards.Active, CancellationToken.None))!.LedgerBalance);
        Assert.True((await ledger.VerifyInvariantsAsync(CancellationToken.None)).Holds);
    }

    [StorageFact]
    public async Task Commit_that_finishes_while_its_backend_is_ended_is_seen_on_a_repeatable_read_database()
    {
        // A server of its own: making every commit wait for a standby that never comes is a server-wide setting.
        await using var server = await PostgreSqlServer.StartAsync();
        await using var context = new LedgerTestContext(options => options.KeyEncryptionKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));
        var direct = new NpgsqlConnectionStringBuilder(await server.CreateDatabaseAsync());
        await using var test = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(direct.ConnectionString) { Pooling = false }.ConnectionString);
        await test.OpenAsync();
        await ExecuteAsync(test, $"ALTER DATABASE {direct.Database} SET default_transaction_isolation = 'repeatable read'");
        await using var proxy = new CommitCuttingProxy(direct.Port);
        // No pooling: each batch's connection is a new backend, which reads the server's settings as it starts. A pooled
        // backend takes a reloaded setting only when its signal arrives, which may be after its next commit: that commit
        // then does not wait for the standby, and the wait below for a backend in SyncRep never ends.
        var throughProxy = new NpgsqlConnectionStringBuilder(direct.ConnectionString) { Port = proxy.Port, Pooling = false };
        await using var ledger = await PostgreSqlLedger.OpenAsync(
            context.Options, new PostgreSqlStorageOptions { ConnectionString = throughProxy.ConnectionString }, context.Time, context.FatalErrors.Add);
        // The writer's first batch takes a block of journal ids (a commit of its own); the batch under test then needs none.
        await ledger.ExecuteAsync(context.Withdrawal(DemoCards.Rich, DemoCards.RichPin, 1_000), CancellationToken.None);
        // Every commit now waits for a synchronous standby. A backend ended in that wait has committed locally: its commit
        // becomes visible while pg_terminate_backend waits for it to go, after the settling statement took its snapshot.
        await ExecuteAsync(test, "ALTER SYSTEM SET synchronous_standby_names = 'absent_standby'");
        await ExecuteAsync(test, "SELECT pg_reload_conf()");
        await WaitForAsync<bool>(test, "SELECT true WHERE current_setting('synchronous_standby_names') = 'absent_standby'");

        proxy.ArmOnce(afterServerHasIt: true);
        var outcome = ledger.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000), CancellationToken.None).AsTask();
        var firstBackend = await WaitForAsync<int>(
            test, "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'SyncRep'");
        await WaitForAsync<bool>(test, $"SELECT true WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = {firstBackend})");
        // Whatever the writer commits from here on (a batch run again, its housekeeping) need not wait any more.
        await ExecuteAsync(test, "ALTER SYSTEM RESET synchronous_standby_names");
        await ExecuteAsync(test, "SELECT pg_reload_conf()");

        var answer = await outcome;
        Assert.Equal(1, proxy.Cuts);
        Assert.Empty(context.FatalErrors);
        Assert.Equal(ResponseCodes.Approved, answer.ResponseCode);
        Assert.False(answer.IsReplay);
        Assert.Equal(98_000, (await ledger.GetCardBalanceAsync(DemoCards.Active, CancellationToken.None))!.LedgerBalance);
        Assert.True((await ledger.VerifyInvariantsAsync(CancellationToken.None)).Holds);
    }

    [StorageFact]
    public async Task Batch_tokens_are_kept_and_pruned_by_the_database_clock_not_a_host_clock()
    {
        await using var context = new LedgerTestContext(options => options.KeyEncryptionKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));
        var connectionString = await postgres.Server.CreateDatabaseAsync();
        await using var hostA = await PostgreSqlLedger.OpenAsync(
            context.Options, new PostgreSqlStorageOptions { ConnectionString = connectionString }, context.Time, context.FatalErrors.Add);
        // Host B's clock is a year ahead of host A's, and it prunes after every batch.
        await using var hostB = await PostgreSqlLedger.OpenAsync(
            context.Options,
            new PostgreSqlStorageOptions { ConnectionString = connectionString, PruneCommittedBatchesEvery = 1 },
            new FakeTimeProvider(context.Time.GetUtcNow().AddYears(1)),
            context.FatalErrors.Add);
        await using var test = new NpgsqlConnection(connectionString);
        await test.OpenAsync();
        var stale = Guid.NewGuid();
        await ExecuteAsync(
            test, $"INSERT INTO committed_batches VALUES ('{stale}', (extract(epoch FROM clock_timestamp() - interval '1 hour') * 1000)::bigint)");

        await hostA.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 1_000), CancellationToken.None);
        await hostB.ExecuteAsync(context.Withdrawal(DemoCards.Rich, DemoCards.RichPin, 1_000), CancellationToken.None);
        // One writer loop prunes after a batch before it takes the next: this second batch's answer means that prune is done.
        await hostB.ExecuteAsync(context.Withdrawal(DemoCards.Rich, DemoCards.RichPin, 1_000), CancellationToken.None);

        Assert.False(await ScalarAsync<bool>(test, $"SELECT EXISTS (SELECT 1 FROM committed_batches WHERE token = '{stale}')"));
        Assert.Equal(3, await ScalarAsync<long>(test, "SELECT count(*) FROM committed_batches"));
        Assert.Empty(context.FatalErrors);
    }

    [StorageFact]
    public Task Connection_lost_after_the_database_committed_answers_the_committed_approval_once() => RunAsync(afterServerHasIt: true);

    [StorageFact]
    public Task Connection_lost_before_the_commit_reached_the_database_runs_the_batch_again_and_applies_it_once() => RunAsync(afterServerHasIt: false);

    [StorageFact]
    public async Task Key_exchange_and_promotion_whose_commit_answers_are_lost_are_each_stored_once_and_keep_the_replaced_keys_as_previous()
    {
        await using var context = new LedgerTestContext(options => options.KeyEncryptionKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));
        var direct = new NpgsqlConnectionStringBuilder(await postgres.Server.CreateDatabaseAsync());
        await using var proxy = new CommitCuttingProxy(direct.Port);
        var throughProxy = new NpgsqlConnectionStringBuilder(direct.ConnectionString) { Port = proxy.Port };
        await using var ledger = await PostgreSqlLedger.OpenAsync(
            context.Options, new PostgreSqlStorageOptions { ConnectionString = throughProxy.ConnectionString }, context.Time, context.FatalErrors.Add);
        var newKey = Convert.FromHexString("00112233445566778899AABBCCDDEEFF");

        proxy.ArmOnce(afterServerHasIt: true);
        await ledger.StorePendingKeysAsync(LedgerTestContext.Terminal, newKey, newKey, TestKeyExchanges.Next(), CancellationToken.None);

        Assert.Equal(1, proxy.Cuts);
        await using var reader = await PostgreSqlLedger.OpenAsync(
            context.Options, new PostgreSqlStorageOptions { ConnectionString = direct.ConnectionString, TerminalCacheDuration = TimeSpan.Zero }, context.Time, context.FatalErrors.Add);
        var pending = await reader.FindTerminalAsync(LedgerTestContext.Terminal, CancellationToken.None);
        Assert.Equal(DemoData.TerminalPinKey, pending!.PinKey);
        Assert.Equal(newKey, pending.PendingKeys!.PinKey);
        Assert.Equal(2, pending.KeyVersion);

        // The retry of a promotion that committed finds the keys current and changes nothing more.
        proxy.ArmOnce(afterServerHasIt: true);
        var promotion = await ledger.PromotePendingKeysAsync(LedgerTestContext.Terminal, newKey, newKey, CancellationToken.None);

        Assert.Equal(2, proxy.Cuts);
        Assert.True(promotion.AreCurrent(newKey, newKey));
        var stored = (await reader.FindTerminalAsync(LedgerTestContext.Terminal, CancellationToken.None))!;
        Assert.Equal(newKey, stored.PinKey);
        Assert.Equal(DemoData.TerminalPinKey, stored.PreviousKeys!.PinKey);
        Assert.Null(stored.PendingKeys);
        Assert.Equal(3, stored.KeyVersion);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The first value <paramref name="sql"/> returns, asked again until it returns a row (at most 30 s: then the test fails).</summary>
    private static async Task<T> WaitForAsync<T>(NpgsqlConnection connection, string sql)
    {
        var patience = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            await using (var command = new NpgsqlCommand(sql, connection))
            {
                if (await command.ExecuteScalarAsync() is T value)
                {
                    return value;
                }
            }

            Assert.True(patience.Elapsed < TimeSpan.FromSeconds(30), $"The database never answered: {sql}");
            await Task.Delay(10);
        }
    }

    private async Task RunAsync(bool afterServerHasIt)
    {
        await using var context = new LedgerTestContext(options => options.KeyEncryptionKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));
        var direct = new NpgsqlConnectionStringBuilder(await postgres.Server.CreateDatabaseAsync());
        await using var proxy = new CommitCuttingProxy(direct.Port);
        var throughProxy = new NpgsqlConnectionStringBuilder(direct.ConnectionString) { Port = proxy.Port };
        await using var ledger = await PostgreSqlLedger.OpenAsync(
            context.Options, new PostgreSqlStorageOptions { ConnectionString = throughProxy.ConnectionString }, context.Time, context.FatalErrors.Add);
        var key = context.NextKey();

        proxy.ArmOnce(afterServerHasIt);
        var outcome = await ledger.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key), CancellationToken.None);

        Assert.Equal(1, proxy.Cuts);
        Assert.Empty(context.FatalErrors);
        Assert.Equal(ResponseCodes.Approved, outcome.ResponseCode);
        Assert.False(outcome.IsReplay);
        var repeat = await ledger.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key, mti: 201), CancellationToken.None);
        Assert.Equal(outcome with { IsReplay = true }, repeat);
        Assert.Equal(98_000, (await ledger.GetCardBalanceAsync(DemoCards.Active, CancellationToken.None))!.LedgerBalance);
        var journal = await ledger.ListJournalForCardAsync(DemoCards.Active, 10, CancellationToken.None);
        Assert.Single(journal, entry => entry.Key == key.ToString() && entry.Delta == -2_000);
        Assert.True((await ledger.VerifyInvariantsAsync(CancellationToken.None)).Holds);
    }
}
