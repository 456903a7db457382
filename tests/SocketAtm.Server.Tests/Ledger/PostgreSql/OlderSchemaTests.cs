using Npgsql;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.PostgreSql;
using SocketAtm.Testing;

namespace SocketAtm.Server.Tests.Ledger.PostgreSql;

/// <summary>
/// A database written by hosts of schema version 2 (stored answers and markers without PAN digest, DE 4 or time) is migrated
/// by the first host of this version to start, and its reversals are then matched to their originals.
/// </summary>
[RequiresPostgreSql]
[Collection(SharedPostgreSqlServer.Name)]
public sealed class OlderSchemaTests(PostgreSqlServerFixture postgres) : IAsyncLifetime
{
    private LedgerTestContext Context { get; } = new();
    private string _connectionString = string.Empty;

    public async Task InitializeAsync() => _connectionString = await postgres.Server.CreateDatabaseAsync();

    public Task DisposeAsync() => Context.DisposeAsync().AsTask();

    [StorageFact]
    public async Task Stored_answers_of_a_version_2_database_get_their_amount_and_pan_digest_and_its_markers_refuse_any_original()
    {
        var approvedKey = Context.NextKey();
        var declinedKey = Context.NextKey();
        var markedKey = Context.NextKey();
        await using (var ledger = await OpenAsync())
        {
            await ledger.ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 20_000, approvedKey), CancellationToken.None);
            await ledger.ExecuteAsync(Context.Withdrawal(DemoCards.Poor, DemoCards.PoorPin, 9_000, declinedKey), CancellationToken.None);
            await ledger.ExecuteAsync(Context.Reversal(markedKey, 2_000, pan: DemoCards.Poor), CancellationToken.None);
        }

        await ExecuteAsync(
            "ALTER TABLE idempotency_keys DROP COLUMN pan_digest, DROP COLUMN amount, DROP COLUMN marker_pan_digest, DROP COLUMN marker_amount, "
            + "DROP COLUMN at_ms; ALTER TABLE cards DROP COLUMN service_code; DELETE FROM host_keys WHERE id = 'CVK'; "
            + "DELETE FROM schema_version; INSERT INTO schema_version VALUES (2);");

        await using (var ledger = await OpenAsync())
        {
            var otherCard = await ledger.ExecuteAsync(Context.Reversal(approvedKey, 20_000, pan: DemoCards.Poor), CancellationToken.None);
            var ofTheDeclined = await ledger.ExecuteAsync(Context.Reversal(declinedKey, 9_000, pan: DemoCards.Poor), CancellationToken.None);
            var genuine = await ledger.ExecuteAsync(Context.Reversal(approvedKey, 20_000), CancellationToken.None);
            var lateOriginal = await ledger.ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, markedKey), CancellationToken.None);

            Assert.Equal(ResponseCodes.UnableToLocateOriginal, otherCard.ResponseCode);
            Assert.Equal(ResponseCodes.Approved, ofTheDeclined.ResponseCode); // its DE 4 came from its journal row
            Assert.Equal(ResponseCodes.Approved, genuine.ResponseCode);
            Assert.Equal(ResponseCodes.DuplicateTransmission, lateOriginal.ResponseCode); // the old marker knows no PAN: it refuses any
            Assert.Equal(100_000, (await ledger.GetCardBalanceAsync(DemoCards.Active, CancellationToken.None))!.LedgerBalance);
            Assert.True((await ledger.VerifyInvariantsAsync(CancellationToken.None)).Holds);
        }

        Assert.Equal(20_000L, await ScalarAsync($"SELECT amount FROM idempotency_keys WHERE key = '{approvedKey}'"));
        Assert.Equal(
            await ScalarAsync($"SELECT at_ms FROM journal WHERE key = '{declinedKey}'"),
            await ScalarAsync($"SELECT at_ms FROM idempotency_keys WHERE key = '{declinedKey}'"));
        Assert.Equal(
            await ScalarAsync("SELECT pan_digest FROM cards WHERE id = (SELECT card_id FROM idempotency_keys WHERE key = '" + approvedKey + "')"),
            await ScalarAsync($"SELECT pan_digest FROM idempotency_keys WHERE key = '{approvedKey}'"));
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private Task<PostgreSqlLedger> OpenAsync() =>
        PostgreSqlLedger.OpenAsync(Context.Options, new PostgreSqlStorageOptions { ConnectionString = _connectionString }, Context.Time, Context.FatalErrors.Add);
}
