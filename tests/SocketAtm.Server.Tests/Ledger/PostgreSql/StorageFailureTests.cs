using System.Security.Cryptography;
using Npgsql;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.PostgreSql;
using SocketAtm.Testing;

namespace SocketAtm.Server.Tests.Ledger.PostgreSql;

/// <summary>
/// A storage failure that is not transient stops the PostgreSQL writer the way the shared queue promises: the host is
/// told first (so it stops taking work), then the batch in flight and everything queued behind it fail, later requests
/// fail at once, and nothing moved.
/// </summary>
[RequiresPostgreSql]
[Collection(SharedPostgreSqlServer.Name)]
public sealed class StorageFailureTests(PostgreSqlServerFixture postgres)
{
    private const long HeldLock = 4343;

    [StorageFact]
    public async Task Non_transient_failure_fails_the_batch_and_everything_queued_and_tells_the_host_first()
    {
        await using var context = new LedgerTestContext(options => options.KeyEncryptionKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));
        var direct = await postgres.Server.CreateDatabaseAsync();
        var fatal = new List<Exception>();
        var anyFailedWhenTold = (bool?)null;
        var pending = new List<Task<LedgerOutcome>>();
        var ledger = await PostgreSqlLedger.OpenAsync(
            context.Options, new PostgreSqlStorageOptions { ConnectionString = direct }, context.Time,
            exception =>
            {
                lock (pending)
                {
                    anyFailedWhenTold = pending.Any(task => task.IsCompleted);
                }

                fatal.Add(exception);
            });
        Assert.True((await ledger.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 100), CancellationToken.None)).IsApproved);

        await using var test = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(direct) { Pooling = false }.ConnectionString);
        await test.OpenAsync();
        await using (var setup = new NpgsqlCommand($"""
            CREATE FUNCTION fail_journal() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM pg_advisory_xact_lock({HeldLock}); RAISE EXCEPTION 'journal refused by test trigger'; END $$;
            CREATE TRIGGER fail_journal BEFORE INSERT ON journal FOR EACH ROW EXECUTE FUNCTION fail_journal();
            SELECT pg_advisory_lock({HeldLock});
            """, test))
        {
            await setup.ExecuteNonQueryAsync();
        }

        lock (pending)
        {
            pending.Add(ledger.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 100), CancellationToken.None).AsTask());
        }

        // The first batch waits in the trigger; everything after it queues.
        while (true)
        {
            await using var probe = new NpgsqlCommand(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'", test);
            if ((long)(await probe.ExecuteScalarAsync())! > 0)
            {
                break;
            }

            await Task.Delay(10);
        }

        lock (pending)
        {
            for (var i = 0; i < 30; i++)
            {
                pending.Add(ledger.ExecuteAsync(context.Withdrawal(DemoCards.Rich, DemoCards.RichPin, 100), CancellationToken.None).AsTask());
            }
        }

        await using (var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({HeldLock})", test))
        {
            await release.ExecuteNonQueryAsync();
        }

        foreach (var task in pending)
        {
            var failure = await Assert.ThrowsAsync<LedgerUnavailableException>(() => task.WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.IsType<PostgresException>(failure.InnerException);
        }

        Assert.IsType<PostgresException>(Assert.Single(fatal));
        Assert.False(anyFailedWhenTold);
        var later = await Assert.ThrowsAsync<LedgerUnavailableException>(
            () => ledger.ExecuteAsync(context.Withdrawal(DemoCards.Rich, DemoCards.RichPin, 100), CancellationToken.None).AsTask());
        Assert.IsType<PostgresException>(later.InnerException);
        Assert.Equal(100_000_000, (await ledger.GetCardBalanceAsync(DemoCards.Rich, CancellationToken.None))!.LedgerBalance);
        await ledger.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        await ledger.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
    }
}
