using SocketAtm.Client;
using SocketAtm.TerminalClient.Tests.Support;

namespace SocketAtm.TerminalClient.Tests.Client;

/// <summary>What a real ATM does when the network fails it: reverse what went unanswered, repeat until heard, reconnect and sign on again.</summary>
public sealed class FailureFlowTests
{
    private static TerminalClientOptions Terminal(string id = "ATM00009") => new()
    {
        TerminalId = id,
        RequestTimeout = TimeSpan.FromMilliseconds(1500),
        ReversalRetryInterval = TimeSpan.FromMilliseconds(100),
    };

    [Fact]
    public async Task A_withdrawal_without_an_answer_times_out_and_is_reversed_so_no_money_is_lost()
    {
        await using var host = await InProcessHost.StartAsync();
        await using var relay = new ProtocolRelay(host.EndPoint);
        await using var atm = await AtmTerminalClient.ConnectAsync(relay.ClientOptions(), Terminal());
        relay.DropResponse = seen => seen.Mti == 210;

        var result = await atm.WithdrawAsync(DemoCards.Active, DemoCards.ActivePin, 4000);

        var timedOut = Assert.IsType<TransactionTimedOut>(result);
        Assert.Equal(NoResponseReason.Timeout, timedOut.Reason);
        var reversal = await timedOut.Reversal!.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(reversal.IsReversed);
        var sent = await relay.WaitForRequestAsync(r => r.Mti == 400);
        Assert.Equal($"0200{timedOut.Trace.Stan:D6}{timedOut.Trace.TransmissionDateTime}0000012345600000000000", sent.OriginalData);
        Assert.Null(sent.ReplacementAmounts);
        relay.DropResponse = null;
        var balance = Assert.IsType<TransactionApproved>(await atm.BalanceAsync(DemoCards.Active, DemoCards.ActivePin));
        Assert.Equal(100000, balance.Balance!.Available);
    }

    [Fact]
    public async Task An_unanswered_reversal_is_repeated_as_0401_with_the_same_stan_and_date_until_acknowledged()
    {
        await using var host = await InProcessHost.StartAsync();
        await using var relay = new ProtocolRelay(host.EndPoint);
        await using var atm = await AtmTerminalClient.ConnectAsync(relay.ClientOptions(), Terminal());
        var approved = Assert.IsType<TransactionApproved>(await atm.WithdrawAsync(DemoCards.Active, DemoCards.ActivePin, 10000));
        var dropped = 0;
        relay.DropResponse = seen => seen.Mti == 410 && Interlocked.Increment(ref dropped) <= 2;

        var reversal = await atm.ReportDispenseAsync(approved, 0).WaitAsync(TimeSpan.FromSeconds(15));

        Assert.True(reversal.IsReversed);
        Assert.Equal(3, reversal.Attempts);
        var sent = relay.Requests.Where(r => r.Mti is 400 or 401).ToList();
        Assert.Equal([400, 401, 401], sent.Select(r => r.Mti));
        Assert.Single(sent.Select(r => (r.Stan, r.TransmissionDateTime)).Distinct());
        Assert.Equal(reversal.Trace!.Stan.ToString("D6", System.Globalization.CultureInfo.InvariantCulture), sent[0].Stan);
        relay.DropResponse = null;
        var balance = Assert.IsType<TransactionApproved>(await atm.BalanceAsync(DemoCards.Active, DemoCards.ActivePin));
        Assert.Equal(100000, balance.Balance!.Available);
    }

    [Fact]
    public async Task A_partial_dispense_is_reported_in_DE_95_and_survives_a_lost_answer()
    {
        await using var host = await InProcessHost.StartAsync();
        await using var relay = new ProtocolRelay(host.EndPoint);
        await using var atm = await AtmTerminalClient.ConnectAsync(relay.ClientOptions(), Terminal());
        var approved = Assert.IsType<TransactionApproved>(await atm.WithdrawAsync(DemoCards.Active, DemoCards.ActivePin, 10000));
        var dropped = 0;
        relay.DropResponse = seen => seen.Mti == 410 && Interlocked.Increment(ref dropped) == 1;

        var reversal = await atm.ReportDispenseAsync(approved, 6000).WaitAsync(TimeSpan.FromSeconds(15));

        Assert.True(reversal.IsReversed);
        Assert.All(relay.Requests.Where(r => r.Mti is 400 or 401), r => Assert.Equal("000000006000" + new string('0', 30), r.ReplacementAmounts));
        relay.DropResponse = null;
        var balance = Assert.IsType<TransactionApproved>(await atm.BalanceAsync(DemoCards.Active, DemoCards.ActivePin));
        Assert.Equal(94000, balance.Balance!.Available);
    }

    [Fact]
    public async Task After_the_link_drops_the_client_reconnects_signs_on_again_and_carries_on()
    {
        await using var host = await InProcessHost.StartAsync();
        await using var relay = new ProtocolRelay(host.EndPoint);
        await using var atm = await AtmTerminalClient.ConnectAsync(relay.ClientOptions(), Terminal());
        var states = new List<LinkState>();
        atm.Connection.StateChanged += (_, _) =>
        {
            lock (states)
            {
                states.Add(atm.Connection.State);
            }
        };

        relay.Sever();
        await Eventually.TrueAsync(() => atm.Connection.LinksOpened == 2 && atm.IsSignedOn);
        var result = await atm.BalanceAsync(DemoCards.Active, DemoCards.ActivePin);

        Assert.IsType<TransactionApproved>(result);
        Assert.Equal(2, atm.Connection.LinksOpened);
        Assert.Equal(2, relay.Requests.Count(r => r.Mti == 800 && r.NetworkCode == "001"));
        lock (states)
        {
            Assert.Equal([LinkState.Disconnected, LinkState.Connecting, LinkState.SigningOn, LinkState.Online], states);
        }
    }

    [Fact]
    public async Task A_withdrawal_cut_off_by_a_link_failure_is_reversed_after_the_reconnect()
    {
        await using var host = await InProcessHost.StartAsync();
        await using var relay = new ProtocolRelay(host.EndPoint);
        await using var atm = await AtmTerminalClient.ConnectAsync(relay.ClientOptions(), Terminal() with { RequestTimeout = TimeSpan.FromSeconds(10) });
        relay.DropResponse = seen =>
        {
            if (seen.Mti != 210)
            {
                return false;
            }

            relay.Sever();
            return true;
        };

        var result = await atm.WithdrawAsync(DemoCards.Active, DemoCards.ActivePin, 4000);
        relay.DropResponse = null;

        var timedOut = Assert.IsType<TransactionTimedOut>(result);
        Assert.Equal(NoResponseReason.LinkLost, timedOut.Reason);
        var reversal = await timedOut.Reversal!.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(reversal.IsReversed);
        Assert.Equal(2, atm.Connection.LinksOpened);
        var balance = Assert.IsType<TransactionApproved>(await atm.BalanceAsync(DemoCards.Active, DemoCards.ActivePin));
        Assert.Equal(100000, balance.Balance!.Available);
    }

    [Fact]
    public async Task An_idle_link_is_kept_alive_with_echoes()
    {
        await using var host = await InProcessHost.StartAsync();
        await using var relay = new ProtocolRelay(host.EndPoint);
        await using var atm = await AtmTerminalClient.ConnectAsync(relay.ClientOptions(echoInterval: TimeSpan.FromMilliseconds(150)), Terminal());

        var echo = await relay.WaitForRequestAsync(r => r.Mti == 800 && r.NetworkCode == "301");
        await relay.WaitForResponseAsync(r => r.Mti == 810 && r.Stan == echo.Stan && r.ResponseCode == "00");

        Assert.Equal("ATM00009", echo.TerminalId);
        Assert.Equal(1, atm.Connection.LinksOpened);
    }

    [Fact]
    public async Task An_unanswered_echo_drops_the_link_and_the_client_reconnects()
    {
        await using var host = await InProcessHost.StartAsync();
        await using var relay = new ProtocolRelay(host.EndPoint);
        var echoes = 0;
        relay.DropResponse = seen => seen.Mti == 810 && relay.Requests.Any(r => r.Stan == seen.Stan && r.NetworkCode == "301") && Interlocked.Increment(ref echoes) == 1;
        await using var atm = await AtmTerminalClient.ConnectAsync(relay.ClientOptions(echoInterval: TimeSpan.FromMilliseconds(150)), Terminal());

        await relay.WaitForRequestAsync(r => r.NetworkCode == "001" && relay.Requests.Count(s => s.NetworkCode == "001") == 2);

        Assert.True(atm.Connection.LinksOpened >= 2);
    }

    [Fact]
    public async Task Sign_off_is_sent_when_the_terminal_is_disposed()
    {
        await using var host = await InProcessHost.StartAsync();
        await using var relay = new ProtocolRelay(host.EndPoint);
        var atm = await AtmTerminalClient.ConnectAsync(relay.ClientOptions(), Terminal());

        await atm.DisposeAsync();

        var signOff = await relay.WaitForResponseAsync(r => r.Mti == 810 && relay.Requests.Any(q => q.Stan == r.Stan && q.NetworkCode == "002"));
        Assert.Equal("00", signOff.ResponseCode);
        Assert.Equal(LinkState.Closed, atm.Connection.State);
    }

    [Fact]
    public async Task Requests_while_the_host_is_unreachable_are_not_sent_and_say_so()
    {
        await using var host = await InProcessHost.StartAsync();
        await using var relay = new ProtocolRelay(host.EndPoint);
        var options = relay.ClientOptions() with { Port = 1 };
        await using var connection = new TerminalConnection(options);
        var atm = connection.AddTerminal(Terminal() with { RequestTimeout = TimeSpan.FromMilliseconds(300) });
        using var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connection.StartAsync(giveUp.Token));

        var result = await atm.WithdrawAsync(DemoCards.Active, DemoCards.ActivePin, 2000);

        var notSent = Assert.IsType<TransactionNotSent>(result);
        Assert.Contains("not signed on", notSent.Reason, StringComparison.Ordinal);
        Assert.NotEqual(LinkState.Online, connection.State);
    }
}
