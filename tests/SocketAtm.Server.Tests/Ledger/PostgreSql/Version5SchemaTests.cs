using Microsoft.Extensions.Logging;
using Npgsql;
using SocketAtm.Protocol.Security;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.PostgreSql;
using SocketAtm.Server.Tests.Transport;
using SocketAtm.Testing;

namespace SocketAtm.Server.Tests.Ledger.PostgreSql;

/// <summary>
/// A database written by hosts of schema version 5, from before track 2 was verified (cards without a service code, no
/// CVK), is migrated by the first host of this version to start: its cards get service code 101, and it gets a CVK — the
/// demo one when its PVK is the demo PVK, else a random one, logged — once, whichever host gets there first.
/// </summary>
[RequiresPostgreSql]
[Collection(SharedPostgreSqlServer.Name)]
public sealed class Version5SchemaTests(PostgreSqlServerFixture postgres) : IAsyncLifetime
{
    private static readonly Track2Evidence DemoCardTrack = new(PanMatches: true, CvvVerified: true, Expiry: 2812, ServiceCode: 101);

    private LedgerTestContext Context { get; } = new();
    private string _connectionString = string.Empty;

    public async Task InitializeAsync() => _connectionString = await postgres.Server.CreateDatabaseAsync();

    public Task DisposeAsync() => Context.DisposeAsync().AsTask();

    [StorageFact]
    public async Task A_version_5_demo_database_gets_service_code_101_on_its_cards_and_the_demo_CVK()
    {
        await (await OpenAsync()).DisposeAsync();
        await WriteAsVersion5Async();
        using var logs = new RecordingLoggerProvider();

        await using (var ledger = await OpenAsync(logs.CreateFactory().CreateLogger("ledger")))
        {
            Assert.Equal(DemoKeys.CardVerificationKey, (await ledger.GetCardVerificationKeyAsync(CancellationToken.None)).Key);
            var genuine = await ledger.ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000) with { Track2 = DemoCardTrack }, CancellationToken.None);
            var otherServiceCode = await ledger.ExecuteAsync(
                Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000) with { Track2 = DemoCardTrack with { ServiceCode = 201 } }, CancellationToken.None);
            Assert.Equal(ResponseCodes.Approved, genuine.ResponseCode);
            Assert.Equal(ResponseCodes.SuspectedFraud, otherServiceCode.ResponseCode);
            Assert.True((await ledger.VerifyInvariantsAsync(CancellationToken.None)).Holds);
        }

        Assert.Equal(1, logs.CountOf(3021));
        Assert.Equal(5L, await ScalarAsync("SELECT count(*) FROM cards WHERE service_code = '101'"));
        Assert.Equal(PostgreSqlSchema.Migrations.Count, await ScalarAsync("SELECT max(version) FROM schema_version"));
    }

    [StorageFact]
    public async Task A_version_5_database_of_an_operator_gets_one_random_CVK_logged_with_its_KCV_whichever_host_opens_first()
    {
        Context.Options.SeedDemoData = false;
        await using (var ledger = await OpenAsync())
        {
            await ledger.AddCardsAsync([new CardRegistration { Pan = "4000001234567899", Pin = "9999", Expiry = "3012", OpeningBalance = 10_000 }], CancellationToken.None);
        }

        await WriteAsVersion5Async();
        using var logs = new RecordingLoggerProvider();
        var logger = logs.CreateFactory().CreateLogger("ledger");

        var opened = await Task.WhenAll(OpenAsync(logger), OpenAsync(logger));
        try
        {
            var first = (await opened[0].GetCardVerificationKeyAsync(CancellationToken.None)).Key;
            Assert.Equal(first, (await opened[1].GetCardVerificationKeyAsync(CancellationToken.None)).Key);
            Assert.False(DemoData.IsDemoCardVerificationKey(new(first)));
            Assert.Equal(1, logs.CountOf(3020));
            Assert.Contains(logs.Recent, line => line.StartsWith("Warning 3020:", StringComparison.Ordinal) && line.Contains(KeyCheckValue.ToHex(first), StringComparison.Ordinal));
            var track = new Track2Evidence(PanMatches: true, CvvVerified: true, Expiry: 3012, ServiceCode: 101);
            // Service code 101 on file now: a track with 101 passes to the PIN (wrong here: the test cannot know the random PVK), one with 201 is refused.
            var passes = await opened[0].ExecuteAsync(Context.Withdrawal("4000001234567899", "9999", 1_000) with { Track2 = track }, CancellationToken.None);
            var refused = await opened[0].ExecuteAsync(Context.Withdrawal("4000001234567899", "9999", 1_000) with { Track2 = track with { ServiceCode = 201 } }, CancellationToken.None);
            Assert.Equal(ResponseCodes.IncorrectPin, passes.ResponseCode);
            Assert.Equal(ResponseCodes.SuspectedFraud, refused.ResponseCode);
        }
        finally
        {
            await opened[0].DisposeAsync();
            await opened[1].DisposeAsync();
        }
    }

    /// <summary>What hosts of schema version 5 stored: cards without a service code, no CVK among the host keys.</summary>
    private Task WriteAsVersion5Async() => ExecuteAsync(
        "ALTER TABLE cards DROP COLUMN service_code; DELETE FROM host_keys WHERE id = 'CVK'; "
        + "ALTER TABLE terminals DROP COLUMN last_key_exchange_at, DROP COLUMN last_key_exchange_stan; "
        + "ALTER TABLE idempotency_keys DROP COLUMN forward_route, DROP COLUMN forward_stan, DROP COLUMN forward_transmission, DROP COLUMN forward_state, "
        + "DROP COLUMN forward_account_type, DROP COLUMN forward_currency, DROP COLUMN forward_pan, DROP COLUMN terminal_reversal_key, "
        + "DROP COLUMN terminal_dispensed, DROP COLUMN reversal_reason, DROP COLUMN reversal_dispensed, DROP COLUMN reversal_owed_at_ms, "
        + "DROP COLUMN reversal_acknowledged, " + Version8SchemaTests.DropSafColumns + "; ALTER TABLE journal DROP COLUMN upstream_route, DROP COLUMN upstream_reference, DROP COLUMN upstream_amount; "
        + "DELETE FROM schema_version; INSERT INTO schema_version VALUES (5);");

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

    private Task<PostgreSqlLedger> OpenAsync(ILogger? logger = null) =>
        PostgreSqlLedger.OpenAsync(
            Context.Options, new PostgreSqlStorageOptions { ConnectionString = _connectionString }, Context.Time, Context.FatalErrors.Add, logger: logger);
}
