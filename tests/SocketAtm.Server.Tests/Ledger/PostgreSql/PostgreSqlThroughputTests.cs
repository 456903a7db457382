using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.PostgreSql;
using SocketAtm.Testing;
using Xunit.Abstractions;

namespace SocketAtm.Server.Tests.Ledger.PostgreSql;

/// <summary>
/// Withdrawals from many concurrent callers, each on a card of its own, through one or two PostgreSQL ledgers on one
/// database (synchronous_commit on). Prints the rate (<c>--logger "console;verbosity=detailed"</c>); asserts only that
/// every withdrawal was approved, every balance is exact and the invariants hold.
/// </summary>
[RequiresPostgreSql]
[Collection(SharedPostgreSqlServer.Name)]
public sealed class PostgreSqlThroughputTests(PostgreSqlServerFixture postgres, ITestOutputHelper output)
{
    [StorageFact]
    public Task One_host_with_64_callers_applies_every_withdrawal() => RunAsync(hosts: 1, callers: 64, withdrawalsEach: 40);

    [StorageFact]
    public Task Two_hosts_with_64_callers_each_apply_every_withdrawal() => RunAsync(hosts: 2, callers: 128, withdrawalsEach: 20);

    [StorageFact]
    public Task One_host_with_512_callers_applies_every_withdrawal() => RunAsync(hosts: 1, callers: 512, withdrawalsEach: 8);

    private async Task RunAsync(int hosts, int callers, int withdrawalsEach)
    {
        await using var context = new LedgerTestContext(options => options.KeyEncryptionKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));
        var storage = new PostgreSqlStorageOptions { ConnectionString = await postgres.Server.CreateDatabaseAsync() };
        var ledgers = new List<PostgreSqlLedger>();
        try
        {
            for (var i = 0; i < hosts; i++)
            {
                ledgers.Add(await PostgreSqlLedger.OpenAsync(context.Options, storage, context.Time, context.FatalErrors.Add));
            }

            var pans = Enumerable.Range(0, callers).Select(index => string.Create(CultureInfo.InvariantCulture, $"40000000{index:D8}")).ToList();
            await ledgers[0].AddCardsAsync(
                pans.Select(pan => new CardRegistration
                {
                    Pan = pan, Pin = "1234", Expiry = "2912", OpeningBalance = 1_000_000, DailyAmountLimit = 1_000_000, DailyCountLimit = 1_000,
                }).ToList(),
                CancellationToken.None);

            var elapsed = Stopwatch.StartNew();
            var approvals = await Task.WhenAll(pans.Select((pan, index) => Task.Run(async () =>
            {
                var ledger = ledgers[index % hosts];
                var approved = 0;
                for (var i = 0; i < withdrawalsEach; i++)
                {
                    var outcome = await ledger.ExecuteAsync(context.Withdrawal(pan, "1234", 1), CancellationToken.None);
                    approved += outcome.IsApproved ? 1 : 0;
                }

                return approved;
            })));
            elapsed.Stop();

            var total = callers * withdrawalsEach;
            Assert.Equal(total, approvals.Sum());
            Assert.Equal(1_000_000 - withdrawalsEach, (await ledgers[^1].GetCardBalanceAsync(pans[^1], CancellationToken.None))!.LedgerBalance);
            Assert.True((await ledgers[0].VerifyInvariantsAsync(CancellationToken.None)).Holds);
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{hosts} host(s), {callers} callers: {total} withdrawals in {elapsed.ElapsedMilliseconds} ms = {total / elapsed.Elapsed.TotalSeconds:F0}/s"));
        }
        finally
        {
            foreach (var ledger in ledgers)
            {
                await ledger.DisposeAsync();
            }
        }
    }
}
