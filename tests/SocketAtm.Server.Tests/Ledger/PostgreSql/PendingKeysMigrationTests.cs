using System.Security.Cryptography;
using Npgsql;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Ledger.PostgreSql;
using SocketAtm.Testing;

namespace SocketAtm.Server.Tests.Ledger.PostgreSql;

/// <summary>
/// A database the release before pending keys wrote (schema version 2: no pending-key columns, no journal detail) is
/// migrated when a host opens it: its terminals have nothing pending, its journal rows no detail, and both take them.
/// </summary>
[RequiresPostgreSql]
[Collection(SharedPostgreSqlServer.Name)]
public sealed class PendingKeysMigrationTests(PostgreSqlServerFixture postgres)
{
    [StorageFact]
    public async Task A_version_2_database_is_migrated_and_its_terminals_and_journal_rows_read_and_take_the_new_fields()
    {
        await using var context = new LedgerTestContext(options => options.KeyEncryptionKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));
        var connectionString = await postgres.Server.CreateDatabaseAsync();
        var storage = new PostgreSqlStorageOptions { ConnectionString = connectionString, TerminalCacheDuration = TimeSpan.Zero };
        await using (var seeded = await PostgreSqlLedger.OpenAsync(context.Options, storage, context.Time))
        {
            await seeded.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 1_000), CancellationToken.None);
        }

        // What the previous release left: its rows, written without the columns the later migrations add.
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var downgrade = new NpgsqlCommand(
                VersionTwoSchema.Downgrade,
                connection);
            await downgrade.ExecuteNonQueryAsync();
        }

        await using var ledger = await PostgreSqlLedger.OpenAsync(context.Options, storage, context.Time);
        var before = (await ledger.FindTerminalAsync(LedgerTestContext.Terminal, CancellationToken.None))!;
        var oldRow = Assert.Single(await ledger.ListJournalForTerminalAsync(LedgerTestContext.Terminal, 10, CancellationToken.None));
        var newKey = Convert.FromHexString("0123456789ABCDEFFEDCBA9876543210");
        await ledger.StorePendingKeysAsync(LedgerTestContext.Terminal, newKey, newKey, TestKeyExchanges.Next(), CancellationToken.None);
        await ledger.ExecuteAsync(
            new LedgerRequest
            {
                Kind = TransactionKind.KeyExchange,
                Key = context.NextKey(),
                Mti = 800,
                Pan = string.Empty,
                KeyEvent = JournalDisposition.KeysIssued,
                Detail = "TPK KCV 08D7B4, TAK KCV 08D7B4",
                ReceivedAt = context.Time.GetUtcNow(),
            },
            CancellationToken.None);

        Assert.Null(before.PendingKeys);
        Assert.Equal(DemoData.TerminalPinKey, before.PinKey);
        Assert.Null(oldRow.Detail);
        Assert.Equal(newKey, (await ledger.FindTerminalAsync(LedgerTestContext.Terminal, CancellationToken.None))!.PendingKeys!.PinKey);
        Assert.Equal("TPK KCV 08D7B4, TAK KCV 08D7B4", (await ledger.ListJournalForTerminalAsync(LedgerTestContext.Terminal, 10, CancellationToken.None))[0].Detail);
        Assert.True((await ledger.VerifyInvariantsAsync(CancellationToken.None)).Holds);
    }
}
