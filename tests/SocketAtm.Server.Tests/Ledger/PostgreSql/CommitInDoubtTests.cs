using System.Security.Cryptography;
using Npgsql;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.PostgreSql;
using SocketAtm.Testing;

namespace SocketAtm.Server.Tests.Ledger.PostgreSql;

/// <summary>
/// The connection is lost while a batch commits. Whether or not the database committed, the terminal gets the one
/// decision that is on the books: the batch's token tells the writer whether to answer or to run the batch again.
/// </summary>
[RequiresPostgreSql]
[Collection(SharedPostgreSqlServer.Name)]
public sealed class CommitInDoubtTests(PostgreSqlServerFixture postgres)
{
    [StorageFact]
    public Task Connection_lost_after_the_database_committed_answers_the_committed_approval_once() => RunAsync(afterServerHasIt: true);

    [StorageFact]
    public Task Connection_lost_before_the_commit_reached_the_database_runs_the_batch_again_and_applies_it_once() => RunAsync(afterServerHasIt: false);

    [StorageFact]
    public async Task Key_exchange_whose_commit_answer_is_lost_is_stored_once_and_keeps_the_replaced_keys_as_previous()
    {
        await using var context = new LedgerTestContext(options => options.KeyEncryptionKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));
        var direct = new NpgsqlConnectionStringBuilder(await postgres.Server.CreateDatabaseAsync());
        await using var proxy = new CommitCuttingProxy(direct.Port);
        var throughProxy = new NpgsqlConnectionStringBuilder(direct.ConnectionString) { Port = proxy.Port };
        await using var ledger = await PostgreSqlLedger.OpenAsync(
            context.Options, new PostgreSqlStorageOptions { ConnectionString = throughProxy.ConnectionString }, context.Time, context.FatalErrors.Add);
        var newKey = Convert.FromHexString("00112233445566778899AABBCCDDEEFF");

        proxy.ArmOnce(afterServerHasIt: true);
        await ledger.UpdateTerminalKeysAsync(LedgerTestContext.Terminal, newKey, newKey, CancellationToken.None);

        Assert.Equal(1, proxy.Cuts);
        await using var reader = await PostgreSqlLedger.OpenAsync(
            context.Options, new PostgreSqlStorageOptions { ConnectionString = direct.ConnectionString }, context.Time, context.FatalErrors.Add);
        var stored = await reader.FindTerminalAsync(LedgerTestContext.Terminal, CancellationToken.None);
        Assert.Equal(newKey, stored!.PinKey);
        Assert.Equal(DemoData.TerminalPinKey, stored.PreviousKeys!.PinKey);
        Assert.Equal(2, stored.KeyVersion);
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
