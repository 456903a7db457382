using System.Security.Cryptography;
using Npgsql;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.PostgreSql;
using SocketAtm.Testing;

namespace SocketAtm.Server.Tests.Ledger.PostgreSql;

/// <summary>Connections cut by the database in the middle of batches: the writer runs the batch again, and nothing is lost or applied twice.</summary>
[RequiresPostgreSql]
[Collection(SharedPostgreSqlServer.Name)]
public sealed class ConnectionLossTests(PostgreSqlServerFixture postgres)
{
    [StorageFact]
    public async Task Withdrawals_survive_their_connections_being_killed_and_apply_exactly_once()
    {
        await using var context = new LedgerTestContext(options => options.KeyEncryptionKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));
        var connectionString = await postgres.Server.CreateDatabaseAsync();
        var storage = new PostgreSqlStorageOptions { ConnectionString = connectionString };
        await using var hostA = await PostgreSqlLedger.OpenAsync(context.Options, storage, context.Time, context.FatalErrors.Add);
        await using var hostB = await PostgreSqlLedger.OpenAsync(context.Options, storage, context.Time, context.FatalErrors.Add);
        using var stop = new CancellationTokenSource();
        var killerReady = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var killed = 0;
        var answered = 0;
        var killer = Task.Run(async () =>
        {
            await using var admin = new NpgsqlConnection(connectionString + ";Pooling=false");
            await admin.OpenAsync();
            killerReady.SetResult();
            while (!stop.IsCancellationRequested)
            {
                await using var kill = new NpgsqlCommand(
                    "SELECT count(pg_terminate_backend(pid))::integer FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
                    admin);
                var killedNow = (int)(await kill.ExecuteScalarAsync())!;
                Interlocked.Add(ref killed, killedNow);

                // Kill again only once a request has been answered since: on a loaded machine a reconnect and commit can
                // take longer than any fixed pause, and killing faster than the writer can recover starves it past its
                // retry window — a test of the machine's speed, not of exactly-once.
                var answeredBefore = Volatile.Read(ref answered);
                await Task.Delay(15);
                while (killedNow > 0 && Volatile.Read(ref answered) == answeredBefore && !stop.IsCancellationRequested)
                {
                    await Task.Delay(5);
                }
            }
        });
        await killerReady.Task;

        // Waves until connections have been killed under them: on a busy machine 400 withdrawals can finish before the
        // killer's first round.
        var outcomes = new List<LedgerOutcome>();
        var patience = System.Diagnostics.Stopwatch.StartNew();
        while (outcomes.Count < 400 || (Volatile.Read(ref killed) == 0 && patience.Elapsed < TimeSpan.FromSeconds(30)))
        {
            var wave = Enumerable.Range(0, 100).Select(_ => context.Withdrawal(DemoCards.Rich, DemoCards.RichPin, 10)).ToList();
            outcomes.AddRange(await Task.WhenAll(wave.Select(async (request, index) =>
            {
                var outcome = await (index % 2 == 0 ? hostA : hostB).ExecuteAsync(request, CancellationToken.None);
                Interlocked.Increment(ref answered);
                return outcome;
            })));
        }

        await stop.CancelAsync();
        await killer;

        Assert.True(killed > 0, "no connection was killed: the test proves nothing");
        Assert.Empty(context.FatalErrors);
        Assert.All(outcomes, outcome => Assert.Equal(ResponseCodes.Approved, outcome.ResponseCode));
        Assert.Equal(100_000_000 - (outcomes.Count * 10), (await hostA.GetCardBalanceAsync(DemoCards.Rich, CancellationToken.None))!.LedgerBalance);
        var report = await hostB.VerifyInvariantsAsync(CancellationToken.None);
        Assert.True(report.Holds, string.Join("; ", report.Violations));
    }
}
