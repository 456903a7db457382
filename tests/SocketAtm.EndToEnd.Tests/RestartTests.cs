namespace SocketAtm.EndToEnd.Tests;

/// <summary>What must survive stopping and starting the host on the same data directory.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task Balances_idempotency_keys_and_pin_tries_survive_a_restart()
    {
        await using var host = await RunningHost.StartAsync();
        var stan = TestTerminal.NextStan();
        string? authorizationId;
        await using (var atm = await TestTerminal.ConnectAsync(host.EndPoint))
        {
            var approved = await atm.ExchangeAsync(atm.Withdrawal(4000, stan));
            Assert.Equal("00", approved.GetString(39));
            authorizationId = approved.GetString(38);
            Assert.Equal("55", (await atm.ExchangeAsync(atm.Balance(TestTerminal.NextStan(), pin: "0000"))).GetString(39));
            Assert.Equal("55", (await atm.ExchangeAsync(atm.Balance(TestTerminal.NextStan(), pin: "0000"))).GetString(39));
        }

        await host.StopAsync();
        await host.StartAgainAsync();

        await using (var atm = await TestTerminal.ConnectAsync(host.EndPoint))
        {
            var repeat = await atm.ExchangeAsync(atm.Withdrawal(4000, stan, mti: 201));
            Assert.Equal("00", repeat.GetString(39));
            Assert.Equal(authorizationId, repeat.GetString(38));
            Assert.EndsWith("C000000096000", repeat.GetString(54));

            // Two wrong PINs before the restart: the third blocks the card, and then even the right PIN gets 75.
            Assert.Equal("75", (await atm.ExchangeAsync(atm.Balance(TestTerminal.NextStan(), pin: "0000"))).GetString(39));
            Assert.Equal("75", (await atm.ExchangeAsync(atm.Balance(TestTerminal.NextStan()))).GetString(39));
        }
    }
}
