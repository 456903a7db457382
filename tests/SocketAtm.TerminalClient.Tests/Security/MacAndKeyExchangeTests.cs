using SocketAtm.Client;
using SocketAtm.TerminalClient.Tests.Support;

namespace SocketAtm.TerminalClient.Tests.Security;

/// <summary>PROTOCOL.md §11.2 and §11.3 from the terminal's side, against the real host, through a relay that watches and misbehaves.</summary>
public sealed class MacAndKeyExchangeTests
{
    private static TerminalClientOptions MacTerminal(bool exchangeKeys = false) => new()
    {
        TerminalId = "ATM00001",
        RequestTimeout = TimeSpan.FromSeconds(2),
        ReversalRetryInterval = TimeSpan.FromMilliseconds(100),
        KeyExchangeRetryInterval = TimeSpan.FromMilliseconds(50),
        ExchangeKeysAtSignOn = exchangeKeys,
    };

    /// <summary>The client's network requests and financial MTIs in the order the relay saw them: "001", "161", "100", …</summary>
    private static List<string> RequestOrder(ProtocolRelay relay) =>
        relay.Requests.Select(r => r.NetworkCode ?? r.Mti.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();

    [Fact]
    public async Task Demo_terminals_1_to_8_use_MACs_and_9_and_10_do_not_unless_configured()
    {
        await using var connection = new TerminalConnection(new TerminalConnectionOptions());

        Assert.True(connection.AddTerminal(new TerminalClientOptions { TerminalId = "ATM00001" }).UsesMac);
        Assert.True(connection.AddTerminal(new TerminalClientOptions { TerminalId = "ATM00008" }).UsesMac);
        Assert.False(connection.AddTerminal(new TerminalClientOptions { TerminalId = "ATM00009" }).UsesMac);
        Assert.False(connection.AddTerminal(new TerminalClientOptions { TerminalId = "ATM00010" }).UsesMac);
        Assert.True(connection.AddTerminal(new TerminalClientOptions { TerminalId = "TEST0001", UseMac = true }).UsesMac);
        Assert.False(connection.AddTerminal(new TerminalClientOptions { TerminalId = "ATM00002", UseMac = false }).UsesMac);
    }

    [Fact]
    public async Task A_MAC_terminal_signs_its_sign_on_withdrawals_and_reversals_and_accepts_correctly_MACed_answers()
    {
        await using var host = await InProcessHost.StartAsync();
        await using var relay = new ProtocolRelay(host.EndPoint);
        await using var atm = await AtmTerminalClient.ConnectAsync(relay.ClientOptions(), MacTerminal());

        var approved = Assert.IsType<TransactionApproved>(await atm.WithdrawAsync(DemoCards.Active, DemoCards.ActivePin, 10000));
        var reversal = await atm.ReportDispenseAsync(approved, 4000);

        Assert.True(reversal.IsReversed);
        var withdrawal = Assert.Single(relay.Requests, r => r.Mti == 200);
        Assert.Equal(64, withdrawal.MacField);
        Assert.True(withdrawal.MacValid);
        var partial = Assert.Single(relay.Requests, r => r.Mti == 400);
        Assert.Equal(128, partial.MacField);
        Assert.True(partial.MacValid);
        Assert.All(relay.Requests.Where(r => r.Mti == 800), r =>
        {
            Assert.Equal(128, r.MacField); // DE 70 is in the secondary bitmap, so the MAC is the last element: DE 128
            Assert.True(r.MacValid);
        });
    }

    [Fact]
    public async Task A_response_with_a_wrong_MAC_counts_as_no_response_and_the_withdrawal_is_reversed()
    {
        await using var host = await InProcessHost.StartAsync();
        await using var relay = new ProtocolRelay(host.EndPoint);
        await using var atm = await AtmTerminalClient.ConnectAsync(relay.ClientOptions(), MacTerminal());
        relay.CorruptResponseMac = seen => seen.Mti == 210;

        var result = await atm.WithdrawAsync(DemoCards.Active, DemoCards.ActivePin, 4000);

        var timedOut = Assert.IsType<TransactionTimedOut>(result);
        Assert.Equal(NoResponseReason.MacInvalid, timedOut.Reason);
        var reversal = await timedOut.Reversal!.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(reversal.IsReversed);
        relay.CorruptResponseMac = null;
        var balance = Assert.IsType<TransactionApproved>(await atm.BalanceAsync(DemoCards.Active, DemoCards.ActivePin));
        Assert.Equal(100000, balance.Balance!.Available);
    }

    [Fact]
    public async Task A_terminal_without_MACs_rejects_nothing_and_sends_no_MAC()
    {
        await using var host = await InProcessHost.StartAsync();
        await using var relay = new ProtocolRelay(host.EndPoint);
        await using var atm = await AtmTerminalClient.ConnectAsync(relay.ClientOptions(), MacTerminal() with { TerminalId = "ATM00009" });

        Assert.IsType<TransactionApproved>(await atm.WithdrawAsync(DemoCards.Active, DemoCards.ActivePin, 2000));

        Assert.Null(Assert.Single(relay.Requests, r => r.Mti == 200).MacField);
        Assert.All(relay.Requests.Where(r => r.Mti == 800), r => Assert.Null(r.MacField));
    }

    [Fact]
    public async Task An_approving_0810_with_a_wrong_MAC_counts_as_no_answer_and_its_keys_are_not_used()
    {
        await using var host = await InProcessHost.StartAsync();
        await using var relay = new ProtocolRelay(host.EndPoint);
        await using var atm = await AtmTerminalClient.ConnectAsync(relay.ClientOptions(), MacTerminal());
        relay.CorruptResponseMac = seen => seen.Mti == 810 && seen.NetworkCode == "161";

        var exchange = await atm.ExchangeKeysAsync();
        relay.CorruptResponseMac = null;
        var result = await atm.BalanceAsync(DemoCards.Active, DemoCards.ActivePin);

        Assert.False(exchange.IsApproved);
        Assert.Equal(("D486FD", "6DF8E6"), atm.KeyCheckValues);
        Assert.IsType<TransactionApproved>(result);
        Assert.True(Assert.Single(relay.Requests, r => r.Mti == 100).MacValid);
    }

    [Fact]
    public async Task Key_exchange_at_sign_on_installs_new_keys_used_for_the_PIN_block_and_the_MAC()
    {
        await using var host = await InProcessHost.StartAsync();
        await using var relay = new ProtocolRelay(host.EndPoint);
        await using var atm = await AtmTerminalClient.ConnectAsync(relay.ClientOptions(), MacTerminal(exchangeKeys: true));

        var result = await atm.WithdrawAsync(DemoCards.Active, DemoCards.ActivePin, 2000);

        Assert.IsType<TransactionApproved>(result);
        Assert.NotEqual(("D486FD", "6DF8E6"), atm.KeyCheckValues);
        Assert.Equal(["001", "161", "200"], RequestOrder(relay));
        Assert.True(Assert.Single(relay.Requests, r => r.Mti == 200).MacValid);
        Assert.Equal(["1234"], relay.PinsSeen);
    }

    [Fact]
    public async Task A_key_exchange_whose_check_value_does_not_match_is_not_used_and_is_asked_again()
    {
        await using var host = await InProcessHost.StartAsync();
        await using var relay = new ProtocolRelay(host.EndPoint) { BadKeyChecks = 1 };
        await using var atm = await AtmTerminalClient.ConnectAsync(relay.ClientOptions(), MacTerminal());

        var exchange = await atm.ExchangeKeysAsync();
        var result = await atm.BalanceAsync(DemoCards.Active, DemoCards.ActivePin);

        Assert.True(exchange.IsApproved);
        Assert.Equal(2, relay.Requests.Count(r => r.NetworkCode == "161"));
        Assert.IsType<TransactionApproved>(result);
        Assert.True(Assert.Single(relay.Requests, r => r.Mti == 100).MacValid);
    }

    [Fact]
    public async Task Key_exchange_waits_for_requests_in_flight_and_holds_new_ones_back()
    {
        await using var host = await InProcessHost.StartAsync();
        await using var relay = new ProtocolRelay(host.EndPoint);
        await using var atm = await AtmTerminalClient.ConnectAsync(relay.ClientOptions(), MacTerminal());

        var before = Enumerable.Range(0, 5).Select(_ => atm.BalanceAsync(DemoCards.Active, DemoCards.ActivePin)).ToArray();
        var exchange = atm.ExchangeKeysAsync();
        var after = Enumerable.Range(0, 5).Select(_ => atm.BalanceAsync(DemoCards.Active, DemoCards.ActivePin)).ToArray();
        var results = await Task.WhenAll(before.Concat(after));

        Assert.True((await exchange).IsApproved);
        Assert.All(results, r => Assert.IsType<TransactionApproved>(r));
        Assert.All(relay.Requests.Where(r => r.Mti == 100), r => Assert.True(r.MacValid));
        var sequence = relay.Requests.Select(r => r.NetworkCode == "161" ? "X" : r.Mti == 100 ? "B" : "-").Where(s => s != "-");
        Assert.Equal("BBBBBXBBBBB", string.Concat(sequence));
    }

    [Fact]
    public async Task Lost_key_exchange_answer_is_retried_before_serving()
    {
        await using var host = await InProcessHost.StartAsync();
        await using var relay = new ProtocolRelay(host.EndPoint);
        await using var atm = await AtmTerminalClient.ConnectAsync(relay.ClientOptions(), MacTerminal());
        var dropped = 0;
        relay.DropResponse = seen => seen.Mti == 810 && seen.NetworkCode == "161" && Interlocked.Increment(ref dropped) == 1;

        // The exchange holds the gate before it returns its task, so the inquiry waits behind it.
        var exchange = atm.ExchangeKeysAsync();
        var result = await atm.BalanceAsync(DemoCards.Active, DemoCards.ActivePin);

        Assert.True((await exchange).IsApproved);
        Assert.IsType<TransactionApproved>(result);
        Assert.Equal(["001", "161", "161", "100"], RequestOrder(relay));
        Assert.True(Assert.Single(relay.Requests, r => r.Mti == 100).MacValid);
        Assert.Equal(["1234"], relay.PinsSeen);
        Assert.Equal(1, atm.Connection.LinksOpened);
    }

    [Fact]
    public async Task Key_exchange_without_valid_keys_after_every_attempt_keeps_the_current_keys_and_the_link()
    {
        await using var host = await InProcessHost.StartAsync();
        await using var relay = new ProtocolRelay(host.EndPoint) { BadKeyChecks = 3 };
        await using var atm = await AtmTerminalClient.ConnectAsync(relay.ClientOptions(), MacTerminal());

        var exchange = await atm.ExchangeKeysAsync();
        var result = await atm.BalanceAsync(DemoCards.Active, DemoCards.ActivePin);

        // The host kept the issued keys pending: the terminal's keys are still the host's current ones.
        Assert.False(exchange.IsApproved);
        Assert.IsType<TransactionApproved>(result);
        Assert.Equal(("D486FD", "6DF8E6"), atm.KeyCheckValues);
        Assert.Equal(1, atm.Connection.LinksOpened);
        Assert.Equal(["001", "161", "161", "161", "100"], RequestOrder(relay));
        Assert.True(Assert.Single(relay.Requests, r => r.Mti == 100).MacValid);
    }

    [Fact]
    public async Task A_terminal_whose_key_exchange_at_sign_on_fails_goes_online_with_its_current_keys()
    {
        await using var host = await InProcessHost.StartAsync();
        await using var relay = new ProtocolRelay(host.EndPoint) { BadKeyChecks = 3 };

        await using var atm = await AtmTerminalClient.ConnectAsync(relay.ClientOptions(), MacTerminal(exchangeKeys: true));
        var result = await atm.BalanceAsync(DemoCards.Active, DemoCards.ActivePin);

        Assert.IsType<TransactionApproved>(result);
        Assert.Equal(1, atm.Connection.LinksOpened);
        Assert.Equal(["001", "161", "161", "161", "100"], RequestOrder(relay));
        Assert.True(Assert.Single(relay.Requests, r => r.Mti == 100).MacValid);
    }

    [Fact]
    public async Task A_withdrawal_held_back_by_a_key_exchange_that_fails_goes_out_under_the_current_keys_and_is_approved()
    {
        await using var host = await InProcessHost.StartAsync();
        await using var relay = new ProtocolRelay(host.EndPoint) { BadKeyChecks = 3 };
        await using var atm = await AtmTerminalClient.ConnectAsync(relay.ClientOptions(), MacTerminal());

        var exchange = atm.ExchangeKeysAsync();
        var result = await atm.WithdrawAsync(DemoCards.Active, DemoCards.ActivePin, 2000);

        Assert.False((await exchange).IsApproved);
        Assert.IsType<TransactionApproved>(result);
        Assert.True(Assert.Single(relay.Requests, r => r.Mti == 200).MacValid);
        Assert.Equal(["1234"], relay.PinsSeen);
    }

    [Fact]
    public async Task Two_key_exchanges_in_a_row_never_lock_the_terminal_out()
    {
        await using var host = await InProcessHost.StartAsync();
        await using var relay = new ProtocolRelay(host.EndPoint);
        await using var atm = await AtmTerminalClient.ConnectAsync(relay.ClientOptions(), MacTerminal());
        var dropped = 0;
        // The first answer is lost: the host holds its keys pending, the terminal never sees them.
        relay.DropResponse = seen => seen.Mti == 810 && seen.NetworkCode == "161" && Interlocked.Increment(ref dropped) == 1;

        Assert.True((await atm.ExchangeKeysAsync()).IsApproved);
        Assert.True((await atm.ExchangeKeysAsync()).IsApproved);
        var results = new[]
        {
            await atm.WithdrawAsync(DemoCards.Active, DemoCards.ActivePin, 1000),
            await atm.BalanceAsync(DemoCards.Active, DemoCards.ActivePin),
        };

        Assert.All(results, result => Assert.IsType<TransactionApproved>(result));
        Assert.All(relay.Requests.Where(r => r.Mti is 100 or 200), r => Assert.True(r.MacValid));
        Assert.Equal(["1234", "1234"], relay.PinsSeen);
    }
}
