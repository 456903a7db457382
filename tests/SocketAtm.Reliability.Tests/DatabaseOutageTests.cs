using SocketAtm.Client;
using SocketAtm.CrashTest;

namespace SocketAtm.Reliability.Tests;

/// <summary>
/// A host on PostgreSQL whose database stays away for longer than Storage:RetryWindow stops with exit code 1 — what a
/// service manager restarts and a load balancer takes out (README, "Scaling out") — instead of serving 96s for ever.
/// </summary>
public sealed class DatabaseOutageTests
{
    [PostgreSqlFact]
    public async Task A_database_gone_for_longer_than_the_retry_window_stops_the_host_with_exit_code_1()
    {
        // A server of its own: this test takes it down.
        await using var postgres = await PostgreSqlServer.StartAsync();
        var store = CrashStore.OnPostgreSql(await postgres.CreateDatabaseAsync());
        var data = Path.Combine(Path.GetTempPath(), "socketatm-outage-" + Guid.NewGuid().ToString("N")[..12]);
        using var host = new HostProcess(data, store.Environment);
        // No terminal cache: the request during the outage fails at its terminal lookup, before the writer sees it (as any
        // request does once the cache has aged), and the host must still notice that the database is gone.
        await host.StartAsync(TimeSpan.FromSeconds(60), "--Storage:RetryWindow=00:00:02", "--Storage:TerminalCacheDuration=00:00:00");
        await using var atm = await AtmTerminalClient.ConnectAsync(
            new TerminalConnectionOptions { Port = host.Port, ReconnectDelay = TimeSpan.FromMilliseconds(100), MaxReconnectDelay = TimeSpan.FromMilliseconds(500) },
            new TerminalClientOptions { TerminalId = "ATM00009", RequestTimeout = TimeSpan.FromSeconds(5), ReversalRetryInterval = TimeSpan.FromMilliseconds(500) });
        Assert.IsType<TransactionApproved>(await atm.WithdrawAsync("4761739001010150", "3333", 1_000));

        await postgres.CrashAsync();
        var duringOutage = await atm.WithdrawAsync("4761739001010150", "3333", 1_000);
        var exitCode = await host.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.IsNotType<TransactionApproved>(duringOutage);
        Assert.Equal(1, exitCode);
        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
