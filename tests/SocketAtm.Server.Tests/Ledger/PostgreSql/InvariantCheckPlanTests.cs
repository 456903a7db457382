using System.Diagnostics;
using Npgsql;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.PostgreSql;
using SocketAtm.Testing;

namespace SocketAtm.Server.Tests.Ledger.PostgreSql;

/// <summary>
/// The invariant check runs at every host start. On a young database whose tables grew faster than autovacuum analyzes
/// them, PostgreSQL plans from guesses; a check written so that a guess can make it quadratic kept a restarted host
/// from listening for minutes (seen in the two-host crash test at ~80,000 journal rows).
/// </summary>
[RequiresPostgreSql]
[Collection(SharedPostgreSqlServer.Name)]
public sealed class InvariantCheckPlanTests(PostgreSqlServerFixture postgres) : IAsyncLifetime
{
    private const int Rows = 60_000;

    /// <summary>An idempotency key in the stored shape (acquirer, terminal, STAN, transmission time) for row n.</summary>
    private const string Key = "'00000123456ATM' || lpad(n::text, 5, '0') || lpad(n::text, 6, '0') || '1125104500'";
    private LedgerTestContext Context { get; } = new();
    private string _connectionString = string.Empty;

    public async Task InitializeAsync() => _connectionString = await postgres.Server.CreateDatabaseAsync();

    public Task DisposeAsync() => Context.DisposeAsync().AsTask();

    [StorageFact]
    public async Task Invariant_check_stays_fast_on_large_tables_that_were_never_analyzed()
    {
        await using (var ledger = await OpenAsync())
        {
            // Decided keys with their journal rows, as a busy morning leaves them, and no statistics about any of it.
            await using var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync();
            // Rows as wide as real ones: the planner's guesses come from the tables' size on disk.
            await using var fill = new NpgsqlCommand(
                "ALTER TABLE journal SET (autovacuum_enabled = false); ALTER TABLE idempotency_keys SET (autovacuum_enabled = false);"
                + "INSERT INTO idempotency_keys (key, state, kind, mti, journal_id, response_code, authorization_id, retrieval_reference, account_type, "
                + "ledger_balance, available_balance, currency, masked_pan, card_id, account_id, applied_amount, usage_day) "
                + $"SELECT {Key}, {PostgreSqlSchema.Decided}, 'BalanceInquiry', 200, 1000000000 + n, '00', '123456', '533010123456', 20, 100000, 100000, 840, "
                + $"'476173******0119', 1, 1, 0, 20261125 FROM generate_series(1, {Rows}) n;"
                + "INSERT INTO journal (id, at_ms, key, mti, kind, disposition, terminal_id, masked_pan, card_id, account_id, amount, delta, response_code, "
                + "authorization_id, retrieval_reference) "
                + $"SELECT 1000000000 + n, 1764067500000 + n, {Key}, 200, 'BalanceInquiry', 'Decided', 'ATM00009', '476173******0119', 1, 1, 0, 0, '00', "
                + $"'123456', '533010123456' FROM generate_series(1, {Rows}) n;",
                connection);
            await fill.ExecuteNonQueryAsync();
        }

        // Opening runs the check once; the admin's verify runs it again.
        var watch = Stopwatch.StartNew();
        await using var reopened = await OpenAsync();
        var report = await reopened.VerifyInvariantsAsync(CancellationToken.None);

        Assert.True(report.Holds, string.Join("; ", report.Violations));
        Assert.True(report.JournalRows >= Rows);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"the invariant check took {watch.Elapsed.TotalSeconds:F1} s over {Rows:N0} rows");
    }

    [StorageFact]
    public async Task Ledger_with_a_decision_whose_stored_outcome_is_missing_is_refused_at_open_in_one_line()
    {
        var key = Context.NextKey();
        await using (var ledger = await OpenAsync())
        {
            Assert.True((await ledger.ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key), CancellationToken.None)).IsApproved);
        }

        await using (var connection = new NpgsqlConnection(_connectionString))
        {
            await connection.OpenAsync();
            await using var delete = new NpgsqlCommand("DELETE FROM idempotency_keys WHERE key = $1", connection) { Parameters = { new() { Value = key.ToString() } } };
            Assert.Equal(1, await delete.ExecuteNonQueryAsync());
        }

        var failure = await Assert.ThrowsAsync<LedgerStartupException>(OpenAsync);

        Assert.Contains($"key {key} was decided in the journal but has no stored outcome", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', failure.Message);
    }

    private Task<PostgreSqlLedger> OpenAsync() =>
        PostgreSqlLedger.OpenAsync(
            Context.Options,
            new PostgreSqlStorageOptions { ConnectionString = _connectionString },
            Context.Time,
            Context.FatalErrors.Add);
}
