using SocketAtm.Client;
using SocketAtm.TerminalClient.Tests.Support;

namespace SocketAtm.TerminalClient.Tests.Client;

/// <summary>The client library against the real host over loopback: every answer a card transaction can get.</summary>
public sealed class TransactionFlowTests
{
    private static TerminalConnectionOptions Direct(InProcessHost host) => new() { Port = host.Port };

    private static TerminalClientOptions Terminal(string id = "ATM00009") => new() { TerminalId = id, RequestTimeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Connecting_signs_on_and_a_balance_inquiry_is_approved_with_both_balances()
    {
        await using var host = await InProcessHost.StartAsync();
        await using var atm = await AtmTerminalClient.ConnectAsync(Direct(host), Terminal());

        var result = await atm.BalanceAsync(DemoCards.Active, DemoCards.ActivePin);

        Assert.True(atm.IsSignedOn);
        Assert.Equal(LinkState.Online, atm.Connection.State);
        var approved = Assert.IsType<TransactionApproved>(result);
        Assert.Equal(new AccountBalance(100000, 100000, 840), approved.Balance);
        Assert.Equal("476173******0119", approved.MaskedPan);
        Assert.Equal(100, approved.Trace.Mti);
    }

    [Fact]
    public async Task Approved_withdrawal_carries_auth_id_rrn_and_the_remaining_balance()
    {
        await using var host = await InProcessHost.StartAsync();
        await using var atm = await AtmTerminalClient.ConnectAsync(Direct(host), Terminal());

        var result = await atm.WithdrawAsync(DemoCards.Active, DemoCards.ActivePin, 4000);

        var approved = Assert.IsType<TransactionApproved>(result);
        Assert.Matches("^[0-9]{6}$", approved.AuthorizationId);
        Assert.Matches("^[0-9]{12}$", approved.RetrievalReferenceNumber);
        Assert.Equal(96000, approved.Balance!.Available);
        Assert.Equal(4000, approved.Amount);
        Assert.Null(approved.Reversal);
        var dispensed = await atm.ReportDispenseAsync(approved, 4000);
        Assert.Equal(ReversalOutcome.NotNeeded, dispensed.Outcome);
    }

    [Theory]
    [InlineData(DemoCards.Poor, DemoCards.PoorPin, 6000, "51", "Insufficient funds")]
    [InlineData(DemoCards.Active, "9999", 2000, "55", "Incorrect PIN")]
    [InlineData(DemoCards.Expired, "1111", 2000, "54", "Expired card")]
    [InlineData(DemoCards.Restricted, "2222", 2000, "62", "Restricted card")]
    [InlineData("4761739001010200", "1234", 2000, "14", "Invalid card number")]
    [InlineData(DemoCards.Active, DemoCards.ActivePin, 60000, "61", "Exceeds amount limit")]
    public async Task Declined_withdrawal_reports_the_code_and_its_meaning_and_is_not_reversed(string pan, string pin, long amount, string code, string meaning)
    {
        await using var host = await InProcessHost.StartAsync();
        await using var atm = await AtmTerminalClient.ConnectAsync(Direct(host), Terminal());

        var result = await atm.WithdrawAsync(pan, pin, amount);

        var declined = Assert.IsType<TransactionDeclined>(result);
        Assert.Equal(code, declined.ResponseCode);
        Assert.Equal(meaning, declined.Meaning);
        Assert.Null(declined.Reversal);
    }

    [Fact]
    public async Task A_jam_sends_a_full_reversal_and_the_money_goes_back()
    {
        await using var host = await InProcessHost.StartAsync();
        await using var atm = await AtmTerminalClient.ConnectAsync(Direct(host), Terminal());
        var approved = Assert.IsType<TransactionApproved>(await atm.WithdrawAsync(DemoCards.Active, DemoCards.ActivePin, 10000));

        var reversal = await atm.ReportDispenseAsync(approved, dispensedAmount: 0);
        var balance = Assert.IsType<TransactionApproved>(await atm.BalanceAsync(DemoCards.Active, DemoCards.ActivePin));

        Assert.True(reversal.IsReversed);
        Assert.Equal(400, reversal.Trace!.Mti);
        Assert.Equal(1, reversal.Attempts);
        Assert.Equal(100000, balance.Balance!.Available);
    }

    [Fact]
    public async Task A_partial_dispense_sends_a_partial_reversal_and_only_the_rest_goes_back()
    {
        await using var host = await InProcessHost.StartAsync();
        await using var atm = await AtmTerminalClient.ConnectAsync(Direct(host), Terminal());
        var approved = Assert.IsType<TransactionApproved>(await atm.WithdrawAsync(DemoCards.Active, DemoCards.ActivePin, 10000));

        var reversal = await atm.ReportDispenseAsync(approved, dispensedAmount: 4000);
        var balance = Assert.IsType<TransactionApproved>(await atm.BalanceAsync(DemoCards.Active, DemoCards.ActivePin));

        Assert.True(reversal.IsReversed);
        Assert.Equal(4000, reversal.DispensedAmount);
        Assert.Equal(96000, balance.Balance!.Available);
    }

    [Fact]
    public async Task An_unregistered_terminal_is_refused_at_sign_on_and_its_requests_are_not_sent()
    {
        await using var host = await InProcessHost.StartAsync();
        await using var atm = await AtmTerminalClient.ConnectAsync(Direct(host), Terminal("ATM99999"));

        var result = await atm.BalanceAsync(DemoCards.Active, DemoCards.ActivePin);

        Assert.False(atm.IsSignedOn);
        Assert.Equal("58", atm.LastSignOnResponseCode);
        var notSent = Assert.IsType<TransactionNotSent>(result);
        Assert.Contains("58", notSent.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Echo_is_answered_00()
    {
        await using var host = await InProcessHost.StartAsync();
        await using var atm = await AtmTerminalClient.ConnectAsync(Direct(host), Terminal());

        var echo = await atm.EchoAsync();

        Assert.True(echo.IsApproved);
    }

    [Fact]
    public async Task Concurrent_requests_of_one_terminal_are_each_matched_to_their_own_answer()
    {
        await using var host = await InProcessHost.StartAsync();
        await using var atm = await AtmTerminalClient.ConnectAsync(Direct(host), Terminal());

        // Two cards with different balances and PIN outcomes, interleaved: any mismatch shows as a wrong balance or code.
        var requests = Enumerable.Range(0, 40).Select(i => (i % 4) switch
        {
            0 => atm.BalanceAsync(DemoCards.Active, DemoCards.ActivePin),
            1 => atm.BalanceAsync(DemoCards.Poor, DemoCards.PoorPin),
            2 => atm.BalanceAsync(DemoCards.Expired, "1111"),
            _ => atm.EchoAsync().ContinueWith(_ => (TransactionResult)new TransactionNotSent("echo", "echo"), TaskScheduler.Default),
        }).ToArray();
        var results = await Task.WhenAll(requests);

        for (var i = 0; i < results.Length; i++)
        {
            switch (i % 4)
            {
                case 0:
                    Assert.Equal(100000, Assert.IsType<TransactionApproved>(results[i]).Balance!.Available);
                    break;
                case 1:
                    Assert.Equal(5000, Assert.IsType<TransactionApproved>(results[i]).Balance!.Available);
                    break;
                case 2:
                    Assert.Equal("54", Assert.IsType<TransactionDeclined>(results[i]).ResponseCode);
                    break;
            }
        }

        Assert.Equal(results.Length - (results.Length / 4), results.Select(r => r.Trace?.Stan).Where(s => s is not null).Distinct().Count());
    }

    [Fact]
    public async Task Two_terminals_share_one_connection_and_each_gets_its_own_answers()
    {
        await using var host = await InProcessHost.StartAsync();
        await using var connection = new TerminalConnection(Direct(host));
        var first = connection.AddTerminal(Terminal("ATM00009") with { InitialStan = 500 });
        var second = connection.AddTerminal(Terminal("ATM00010") with { InitialStan = 500 });
        await connection.StartAsync();

        // Same STANs on both terminals: only DE 41 + DE 11 tells the answers apart.
        var results = await Task.WhenAll(
            first.WithdrawAsync(DemoCards.Poor, DemoCards.PoorPin, 1000),
            second.WithdrawAsync(DemoCards.Poor, DemoCards.PoorPin, 6000));

        Assert.True(first.IsSignedOn);
        Assert.True(second.IsSignedOn);
        Assert.Equal("ATM00009", Assert.IsType<TransactionApproved>(results[0]).TerminalId);
        Assert.Equal("51", Assert.IsType<TransactionDeclined>(results[1]).ResponseCode);
        Assert.Equal(results[0].Trace!.Stan, results[1].Trace!.Stan);
        Assert.Equal(1, connection.LinksOpened);
    }

    [Fact]
    public async Task Malformed_card_input_is_refused_before_anything_is_sent()
    {
        await using var host = await InProcessHost.StartAsync();
        await using var atm = await AtmTerminalClient.ConnectAsync(Direct(host), Terminal());

        await Assert.ThrowsAsync<ArgumentException>(() => atm.BalanceAsync("4761", DemoCards.ActivePin));
        await Assert.ThrowsAsync<ArgumentException>(() => atm.BalanceAsync(DemoCards.Active, "12"));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => atm.WithdrawAsync(DemoCards.Active, DemoCards.ActivePin, 0));
    }

    [Fact]
    public async Task A_MAC_terminal_exchanges_keys_with_the_host_and_transacts_under_the_new_keys()
    {
        await using var host = await InProcessHost.StartAsync();
        await using var atm = await AtmTerminalClient.ConnectAsync(Direct(host), Terminal("ATM00001") with { ExchangeKeysAtSignOn = true });

        var withdrawal = await atm.WithdrawAsync(DemoCards.Active, DemoCards.ActivePin, 2000);
        var again = await atm.ExchangeKeysAsync();
        var balance = await atm.BalanceAsync(DemoCards.Active, DemoCards.ActivePin);

        Assert.True(atm.UsesMac);
        Assert.NotEqual(("D486FD", "6DF8E6"), atm.KeyCheckValues);
        Assert.IsType<TransactionApproved>(withdrawal);
        Assert.True(again.IsApproved);
        Assert.Equal(98000, Assert.IsType<TransactionApproved>(balance).Balance!.Available);
    }
}
