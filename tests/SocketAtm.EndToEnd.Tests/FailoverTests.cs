using SocketAtm.Client;

namespace SocketAtm.EndToEnd.Tests;

/// <summary>A terminal given several hosts moves to the next when its host goes away, and goes on transacting there.</summary>
public sealed class FailoverTests
{
    [Fact]
    public async Task A_terminal_fails_over_to_the_next_host_when_its_host_stops()
    {
        await using var first = await RunningHost.StartAsync();
        await using var second = await RunningHost.StartAsync();
        await using var atm = await AtmTerminalClient.ConnectAsync(
            new TerminalConnectionOptions
            {
                Port = first.EndPoint.Port,
                FailoverHosts = [$"127.0.0.1:{second.EndPoint.Port}"],
                ReconnectDelay = TimeSpan.FromMilliseconds(50),
                MaxReconnectDelay = TimeSpan.FromMilliseconds(200),
            },
            new TerminalClientOptions { TerminalId = "ATM00009", RequestTimeout = TimeSpan.FromSeconds(10) });
        Assert.IsType<TransactionApproved>(await atm.WithdrawAsync("4761739001010119", "1234", 1_000));
        Assert.Contains($":{first.EndPoint.Port}", atm.Connection.Endpoint, StringComparison.Ordinal);

        await first.StopAsync();
        var afterFailover = await atm.WithdrawAsync("4761739001010119", "1234", 2_000);

        var approved = Assert.IsType<TransactionApproved>(afterFailover);
        Assert.Equal(98_000, approved.Balance!.Ledger); // the second host's own demo ledger
        Assert.Contains($":{second.EndPoint.Port}", atm.Connection.Endpoint, StringComparison.Ordinal);
    }
}
