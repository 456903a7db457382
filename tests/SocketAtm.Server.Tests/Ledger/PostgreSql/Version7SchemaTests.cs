using Npgsql;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Acquiring;
using SocketAtm.Server.Ledger.PostgreSql;
using SocketAtm.Testing;

namespace SocketAtm.Server.Tests.Ledger.PostgreSql;

/// <summary>
/// A database written by hosts of schema version 7, from before the host acquired for other issuers, is migrated (8) by the
/// first host of this version to start: its stored answers still replay, its invariants hold, and it forwards at once.
/// </summary>
[RequiresPostgreSql]
[Collection(SharedPostgreSqlServer.Name)]
public sealed class Version7SchemaTests(PostgreSqlServerFixture postgres) : IAsyncLifetime
{
    private LedgerTestContext Context { get; } = new();
    private string _connectionString = string.Empty;

    public async Task InitializeAsync() => _connectionString = await postgres.Server.CreateDatabaseAsync();

    public Task DisposeAsync() => Context.DisposeAsync().AsTask();

    [StorageFact]
    public async Task A_version_7_database_is_migrated_its_answers_replay_and_it_forwards()
    {
        var key = Context.NextKey();
        LedgerOutcome original;
        await using (var ledger = await OpenAsync())
        {
            original = await ledger.ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key), CancellationToken.None);
        }

        await ExecuteAsync(
            "ALTER TABLE idempotency_keys DROP COLUMN forward_route, DROP COLUMN forward_stan, DROP COLUMN forward_transmission, DROP COLUMN forward_state, "
            + "DROP COLUMN forward_account_type, DROP COLUMN forward_currency, DROP COLUMN forward_pan, DROP COLUMN terminal_reversal_key, "
            + "DROP COLUMN terminal_dispensed, DROP COLUMN reversal_reason, DROP COLUMN reversal_dispensed, DROP COLUMN reversal_owed_at_ms, "
            + "DROP COLUMN reversal_acknowledged, " + Version8SchemaTests.DropSafColumns + "; ALTER TABLE journal DROP COLUMN upstream_route, DROP COLUMN upstream_reference, DROP COLUMN upstream_amount; "
            + "DELETE FROM schema_version; INSERT INTO schema_version VALUES (7);");

        await using (var ledger = await OpenAsync())
        {
            var repeat = await ledger.ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key, mti: 201), CancellationToken.None);
            var forwardKey = Context.NextKey();
            var forwarded = await ledger.ExecuteAsync(
                Context.Withdrawal("5413330000000019", "1234", 1_000, forwardKey) with { Upstream = new ForwardingIntent("demo-issuer", 1, "0315100000") },
                CancellationToken.None);
            await ledger.GiveUpAsync(forwardKey, CancellationToken.None);

            Assert.Equal(original with { IsReplay = true }, repeat);
            Assert.Equal(ForwardingStatus.Forward, forwarded.Forwarding);
            Assert.Equal("5413330000000019", Assert.Single(await ledger.ListOwedMessagesAsync("demo-issuer", 10, CancellationToken.None)).Pan);
            Assert.True((await ledger.VerifyInvariantsAsync(CancellationToken.None)).Holds);
        }

        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var version = new NpgsqlCommand("SELECT max(version) FROM schema_version", connection);
        Assert.Equal(PostgreSqlSchema.Migrations.Count, await version.ExecuteScalarAsync());
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private Task<PostgreSqlLedger> OpenAsync() =>
        PostgreSqlLedger.OpenAsync(Context.Options, new PostgreSqlStorageOptions { ConnectionString = _connectionString }, Context.Time, Context.FatalErrors.Add);
}
