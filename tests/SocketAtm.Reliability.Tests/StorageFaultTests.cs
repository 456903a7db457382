using Microsoft.Extensions.DependencyInjection;
using SocketAtm.Client;
using SocketAtm.Reliability.Tests.Support;
using SocketAtm.Server.Ledger.LiteDb;

namespace SocketAtm.Reliability.Tests;

/// <summary>A disk that fails under the ledger: the host stops serving at once and comes back consistent.</summary>
public sealed class StorageFaultTests
{
    private const string Pan = "4761739001010150"; // 1,000,000.00, high limits
    private const string Pin = "3333";
    private const long Opening = 100_000_000;

    [Fact]
    public async Task A_failing_disk_stops_the_host_and_a_restart_on_the_same_files_is_consistent_with_every_approval_seen()
    {
        var disk = new FailingDisk();
        await using var host = await RunningHost.StartWithServicesAsync(services => services.AddSingleton<IDurableStreamFactory>(disk));
        var stopping = host.Stopping;
        var approvedBeforeFailure = 0L;
        await using (var atm = await AtmTerminalClient.ConnectAsync(
            new TerminalConnectionOptions { Port = host.EndPoint.Port, ReconnectDelay = TimeSpan.FromMilliseconds(100), MaxReconnectDelay = TimeSpan.FromMilliseconds(200) },
            new TerminalClientOptions { TerminalId = "ATM00009", RequestTimeout = TimeSpan.FromSeconds(2), ReversalRetryInterval = TimeSpan.FromMilliseconds(200) }))
        {
            for (var i = 0; i < 5; i++)
            {
                var result = await atm.WithdrawAsync(Pan, Pin, 1_000);
                Assert.IsType<TransactionApproved>(result);
                approvedBeforeFailure += 1_000;
            }

            disk.Fail();
            var afterFailure = await atm.WithdrawAsync(Pan, Pin, 1_000);

            // The host answers no approval from a broken ledger: a 96 or no answer at all, and it stops itself.
            Assert.IsNotType<TransactionApproved>(afterFailure);
            await stopping.WaitAsync(TimeSpan.FromSeconds(10));
        }

        await host.StopAsync();
        var (balance, invariants) = await Books.ReadAsync(host.DataDirectory, Pan);

        Assert.True(invariants.Holds, string.Join("; ", invariants.Violations));

        // Every approval the terminal saw is on the books; the failed one may or may not be (its batch may have
        // reached the log before the sync failed), but never more than once.
        Assert.InRange(Opening - balance, approvedBeforeFailure, approvedBeforeFailure + 1_000);

        // The failed engine must not take the process down later: LiteDB's transaction finalizer throws on a broken
        // engine, and an exception in a finalizer ends the process (here, the test run).
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
