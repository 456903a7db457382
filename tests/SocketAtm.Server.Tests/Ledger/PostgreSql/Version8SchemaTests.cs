using Npgsql;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Acquiring;
using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Ledger.PostgreSql;
using SocketAtm.Testing;

namespace SocketAtm.Server.Tests.Ledger.PostgreSql;

/// <summary>
/// A database of schema version 8, from before store-and-forward, is migrated (9) by the first host of this version: a
/// reversal it owed is queued untried (no attempts, no claim, due now) and is claimed and delivered as any other.
/// </summary>
[RequiresPostgreSql]
[Collection(SharedPostgreSqlServer.Name)]
public sealed class Version8SchemaTests(PostgreSqlServerFixture postgres) : IAsyncLifetime
{
    /// <summary>
    /// What migration 9 added, undone: the columns it added to idempotency_keys (the fragment continues an ALTER TABLE of it)
    /// and its table. Also used by the tests of older versions, which go back further.
    /// </summary>
    internal const string DropSafColumns =
        "DROP COLUMN saf_attempts, DROP COLUMN saf_claimed_by, DROP COLUMN saf_claimed_until_ms, DROP COLUMN saf_next_attempt_ms, "
        + "DROP COLUMN saf_last_result, DROP COLUMN saf_refused, DROP COLUMN advice_owed_at_ms, DROP COLUMN advice_acknowledged; "
        + "DROP TABLE standin_usage";

    private LedgerTestContext Context { get; } = new();
    private string _connectionString = string.Empty;

    public async Task InitializeAsync() => _connectionString = await postgres.Server.CreateDatabaseAsync();

    public Task DisposeAsync() => Context.DisposeAsync().AsTask();

    [StorageFact]
    public async Task A_reversal_owed_by_a_version_8_database_is_queued_untried_and_delivered_after_the_migration()
    {
        var key = Context.NextKey();
        await using (var ledger = await OpenAsync())
        {
            await ledger.ExecuteAsync(
                Context.Withdrawal("5413330000000019", "1234", 1_000, key) with { Upstream = new ForwardingIntent("demo-issuer", 1, "0315100000") },
                CancellationToken.None);
            await ledger.GiveUpAsync(key, CancellationToken.None);
        }

        await using (var connection = new NpgsqlConnection(_connectionString))
        {
            await connection.OpenAsync();
            await using var downgrade = new NpgsqlCommand(
                $"ALTER TABLE idempotency_keys {DropSafColumns}; DELETE FROM schema_version; INSERT INTO schema_version VALUES (8);", connection);
            await downgrade.ExecuteNonQueryAsync();
        }

        await using (var ledger = await OpenAsync())
        {
            var queued = Assert.Single(await ledger.ListSafAsync(null, 10, CancellationToken.None));
            var claimed = Assert.Single(await ledger.ClaimSafAsync("demo-issuer", "host", Context.Time.GetUtcNow().AddSeconds(20), 10, CancellationToken.None));
            var delivered = await ledger.RecordSafResultAsync(key, new SafAttemptResult("host", ResponseCodes.Approved, true, 0, "answered 00"), CancellationToken.None);

            Assert.Equal((key, SafState.Queued, SafDelivery.None), (queued.OriginalKey, queued.State, queued.Saf));
            Assert.Equal(("5413330000000019", 1), (claimed.Pan, claimed.Saf.Attempts));
            Assert.False(delivered.IsReplay);
            Assert.Empty(await ledger.ListSafAsync(null, 10, CancellationToken.None));
            Assert.True((await ledger.VerifyInvariantsAsync(CancellationToken.None)).Holds);
        }
    }

    private Task<PostgreSqlLedger> OpenAsync() =>
        PostgreSqlLedger.OpenAsync(Context.Options, new PostgreSqlStorageOptions { ConnectionString = _connectionString }, Context.Time, Context.FatalErrors.Add);
}
