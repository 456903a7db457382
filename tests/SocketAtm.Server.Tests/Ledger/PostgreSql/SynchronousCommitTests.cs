using System.Security.Cryptography;
using Npgsql;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.PostgreSql;
using SocketAtm.Testing;

namespace SocketAtm.Server.Tests.Ledger.PostgreSql;

/// <summary>
/// An approval must survive the database's crash, so the host's commits wait for the WAL to be flushed even where a DBA
/// turned <c>synchronous_commit</c> off for the database. The WAL statistics tell: with it off, a commit does not sync.
/// </summary>
[RequiresPostgreSql]
public sealed class SynchronousCommitTests : IAsyncLifetime
{
    private const int Commits = 20;
    private PostgreSqlServer? _server;

    private LedgerTestContext Context { get; } = new();

    public async Task InitializeAsync()
    {
        // A server of its own: the WAL statistics are the whole cluster's, and other tests' commits would blur them.
        if (PostgreSqlServer.UnavailableReason is null)
        {
            _server = await PostgreSqlServer.StartAsync();
        }
    }

    public async Task DisposeAsync()
    {
        await Context.DisposeAsync();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [StorageFact]
    public async Task Every_approval_commit_syncs_the_WAL_even_with_synchronous_commit_off_for_the_database()
    {
        var syncs = await WalSyncsDuringAsync(async ledger =>
        {
            var outcome = await ledger.ExecuteAsync(Context.Withdrawal(DemoCards.Rich, DemoCards.RichPin, 100), CancellationToken.None);
            Assert.Equal(ResponseCodes.Approved, outcome.ResponseCode);
        });

        Assert.True(syncs >= Commits, $"{Commits} approvals, one commit each, but the WAL was synced {syncs} times");
    }

    [StorageFact]
    public async Task Every_key_exchange_commit_syncs_the_WAL_even_with_synchronous_commit_off_for_the_database()
    {
        var syncs = await WalSyncsDuringAsync(ledger => ledger.StorePendingKeysAsync(
            "ATM00001", RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(16), TestKeyExchanges.Next(), CancellationToken.None));

        Assert.True(syncs >= Commits, $"{Commits} key exchanges, one commit each, but the WAL was synced {syncs} times");
    }

    /// <summary>Runs <paramref name="commit"/> <see cref="Commits"/> times on a database with synchronous_commit off.</summary>
    private async Task<long> WalSyncsDuringAsync(Func<PostgreSqlLedger, Task> commit)
    {
        var connectionString = await _server!.CreateDatabaseAsync();
        await using (var admin = new NpgsqlConnection(connectionString))
        {
            await admin.OpenAsync();
            await using var off = new NpgsqlCommand($"ALTER DATABASE \"{admin.Database}\" SET synchronous_commit = off", admin);
            await off.ExecuteNonQueryAsync();
        }

        await using var ledger = await PostgreSqlLedger.OpenAsync(
            Context.Options, new PostgreSqlStorageOptions { ConnectionString = connectionString }, Context.Time, Context.FatalErrors.Add);
        var before = await WalSyncsAsync(connectionString);
        for (var i = 0; i < Commits; i++)
        {
            await commit(ledger);
        }

        // An idle backend may hold its WAL statistics back for seconds; one that exits reports them. Closing the ledger
        // closes its connections.
        await ledger.DisposeAsync();
        var syncs = 0L;
        for (var attempt = 0; attempt < 50 && syncs < Commits; attempt++)
        {
            await Task.Delay(100);
            syncs = await WalSyncsAsync(connectionString) - before;
        }

        return syncs;
    }

    private static async Task<long> WalSyncsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var read = new NpgsqlCommand("SELECT wal_sync FROM pg_stat_wal", connection);
        return (long)(await read.ExecuteScalarAsync())!;
    }
}
