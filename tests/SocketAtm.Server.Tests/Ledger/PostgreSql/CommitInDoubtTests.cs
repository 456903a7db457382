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
