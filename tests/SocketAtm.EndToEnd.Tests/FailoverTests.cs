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

        // A request written in the moment the stopped host's close is still on its way is lost with the connection (the
        // client rightly reports it timed out, outcome unknown): this test is about the move, so it transacts once the
        // terminal is signed on at the next host, as a person at the ATM would after "temporarily out of service".
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!(atm.Connection.State == LinkState.Online && atm.Connection.Endpoint.Contains($":{second.EndPoint.Port}", StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the terminal never signed on at the next host ({atm.Connection.State}, {atm.Connection.Endpoint})");
            await Task.Delay(20);
        }

        var afterFailover = await atm.WithdrawAsync("4761739001010119", "1234", 2_000);

        var approved = Assert.IsType<TransactionApproved>(afterFailover);
        Assert.Equal(98_000, approved.Balance!.Ledger); // the second host's own demo ledger
        Assert.Contains($":{second.EndPoint.Port}", atm.Connection.Endpoint, StringComparison.Ordinal);
    }
}
