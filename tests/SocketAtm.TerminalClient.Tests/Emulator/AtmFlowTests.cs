using Microsoft.Extensions.Time.Testing;
using SocketAtm.Client;
using SocketAtm.TerminalClient.Emulator;
using SocketAtm.TerminalClient.Tests.Support;

namespace SocketAtm.TerminalClient.Tests.Emulator;

/// <summary>The emulator's behaviour without its rendering: a scripted customer against the real client and host.</summary>
public sealed class AtmFlowTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 30, 0, TimeSpan.Zero);

    private static TerminalClientOptions Terminal => new()
    {
        TerminalId = "ATM00009",
        RequestTimeout = TimeSpan.FromSeconds(2),
        ReversalRetryInterval = TimeSpan.FromMilliseconds(100),
    };

    [Fact]
    public async Task The_welcome_screen_names_the_host_the_terminal_failed_over_to()
    {
        await using var host = await InProcessHost.StartAsync();
        var options = new TerminalConnectionOptions
        {
            Port = ClosedPort.Take(), // the first host is down

            FailoverHosts = [$"127.0.0.1:{host.Port}"],
            ReconnectDelay = TimeSpan.FromMilliseconds(50),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(200),
        };
        await using var atm = await AtmTerminalClient.ConnectAsync(options, Terminal);
        var customer = new ScriptedDisplay(DemoCards.Active, DemoCards.ActivePin, MenuChoice.Balance, false);

        await new AtmFlow(atm, customer, new FakeTimeProvider(Now)).RunAsync(CancellationToken.None);

        Assert.Equal($"127.0.0.1:{host.Port}", Assert.IsType<WelcomeScreen>(customer.Shown[0]).Host);
        Assert.Equal(new BalanceScreen("476173******0119", 100000, 100000), customer.Single<BalanceScreen>());
    }

    [Fact]
    public async Task A_balance_then_fast_cash_shows_the_balance_and_prints_a_receipt_with_the_remaining_balance()
    {
        await using var host = await InProcessHost.StartAsync();
        await using var atm = await AtmTerminalClient.ConnectAsync(new TerminalConnectionOptions { Port = host.Port }, Terminal);
        var customer = new ScriptedDisplay(DemoCards.Active, DemoCards.ActivePin, MenuChoice.Balance, true, MenuChoice.FastCash(4000), 4000L, false);

        await new AtmFlow(atm, customer, new FakeTimeProvider(Now)).RunAsync(CancellationToken.None);

        var welcome = Assert.IsType<WelcomeScreen>(customer.Shown[0]);
        Assert.Equal(new WelcomeScreen("ATM00009", LinkState.Online, true, $"127.0.0.1:{host.Port}"), welcome);
        Assert.Equal(new BalanceScreen("476173******0119", 100000, 100000), customer.Single<BalanceScreen>());
        var receipt = customer.Single<Receipt>();
        Assert.Equal(("ATM00009", "476173******0119", 4000L, 4000L, (long?)96000), (receipt.TerminalId, receipt.MaskedPan, receipt.AmountApproved, receipt.AmountDispensed, receipt.RemainingBalance));
        Assert.Matches("^[0-9]{6}$", receipt.AuthorizationId);
        Assert.Matches("^[0-9]{12}$", receipt.RetrievalReferenceNumber);
        Assert.Null(receipt.Note);
        Assert.Contains(("Amount", "40.00"), receipt.Lines());
        Assert.Contains(("Balance", "960.00"), receipt.Lines());
        Assert.Contains(("Date", Now.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)), receipt.Lines());
        Assert.Equal("Please take your card. Thank you.", customer.Single<ScriptedDisplay.Goodbye>().Sentence);
    }

    [Fact]
    public async Task A_partial_dispense_is_reversed_and_the_receipt_shows_what_came_out_and_the_corrected_balance()
    {
        await using var host = await InProcessHost.StartAsync();
        await using var atm = await AtmTerminalClient.ConnectAsync(new TerminalConnectionOptions { Port = host.Port }, Terminal);
        var customer = new ScriptedDisplay(DemoCards.Active, DemoCards.ActivePin, MenuChoice.OtherAmount, (long?)10000, 4000L, false);

        await new AtmFlow(atm, customer, new FakeTimeProvider(Now)).RunAsync(CancellationToken.None);

        var receipt = customer.Single<Receipt>();
        Assert.Equal((10000L, 4000L, (long?)96000), (receipt.AmountApproved, receipt.AmountDispensed, receipt.RemainingBalance));
        Assert.Equal("60.00 was not dispensed and has been returned to your account.", receipt.Note);
        Assert.Contains(("Approved", "100.00"), receipt.Lines());
        var balance = Assert.IsType<TransactionApproved>(await atm.BalanceAsync(DemoCards.Active, DemoCards.ActivePin));
        Assert.Equal(96000, balance.Balance!.Available);
    }

    [Fact]
    public async Task A_jam_reverses_the_whole_amount()
    {
        await using var host = await InProcessHost.StartAsync();
        await using var atm = await AtmTerminalClient.ConnectAsync(new TerminalConnectionOptions { Port = host.Port }, Terminal);
        var customer = new ScriptedDisplay(DemoCards.Active, DemoCards.ActivePin, MenuChoice.FastCash(6000), 0L, false);

        await new AtmFlow(atm, customer, new FakeTimeProvider(Now)).RunAsync(CancellationToken.None);

        var receipt = customer.Single<Receipt>();
        Assert.Equal((0L, (long?)100000), (receipt.AmountDispensed, receipt.RemainingBalance));
        Assert.Contains(("Amount", "0.00"), receipt.Lines());
    }

    [Theory]
    [InlineData(DemoCards.Poor, DemoCards.PoorPin, "There are not enough funds in your account for this withdrawal.")]
    [InlineData(DemoCards.Active, "9999", "The PIN you entered is incorrect.")]
    [InlineData(DemoCards.Expired, "1111", "Your card has expired. Please contact your bank for a new one.")]
    public async Task A_decline_is_told_in_a_plain_sentence_and_the_card_comes_back(string pan, string pin, string sentence)
    {
        await using var host = await InProcessHost.StartAsync();
        await using var atm = await AtmTerminalClient.ConnectAsync(new TerminalConnectionOptions { Port = host.Port }, Terminal);
        var customer = new ScriptedDisplay(pan, pin, MenuChoice.FastCash(6000));

        await new AtmFlow(atm, customer, new FakeTimeProvider(Now)).RunAsync(CancellationToken.None);

        Assert.Equal(sentence, customer.Single<ScriptedDisplay.Problem>().Sentence);
        Assert.Empty(customer.Shown.OfType<Receipt>());
        Assert.DoesNotContain("another transaction", customer.Asked);
        Assert.Single(customer.Shown.OfType<ScriptedDisplay.Goodbye>());
    }

    [Fact]
    public async Task A_withdrawal_the_bank_does_not_answer_tells_the_customer_no_money_was_taken_and_reverses()
    {
        await using var host = await InProcessHost.StartAsync();
        await using var relay = new ProtocolRelay(host.EndPoint) { DropResponse = seen => seen.Mti == 210 };
        await using var atm = await AtmTerminalClient.ConnectAsync(relay.ClientOptions(), Terminal);
        var customer = new ScriptedDisplay(DemoCards.Active, DemoCards.ActivePin, MenuChoice.FastCash(2000));

        await new AtmFlow(atm, customer, new FakeTimeProvider(Now)).RunAsync(CancellationToken.None);

        Assert.Equal("Your bank did not answer in time. No money has been taken from your account.", customer.Single<ScriptedDisplay.Problem>().Sentence);
        await relay.WaitForResponseAsync(r => r.Mti == 410 && r.ResponseCode == "00");
    }

    [Fact]
    public async Task Cancelling_at_the_PIN_or_the_menu_returns_the_card_without_asking_the_host()
    {
        await using var host = await InProcessHost.StartAsync();
        await using var relay = new ProtocolRelay(host.EndPoint);
        await using var atm = await AtmTerminalClient.ConnectAsync(relay.ClientOptions(), Terminal);
        var customer = new ScriptedDisplay(DemoCards.Active, null, DemoCards.Active, DemoCards.ActivePin, MenuChoice.OtherAmount, null, MenuChoice.Cancel);

        await new AtmFlow(atm, customer, new FakeTimeProvider(Now)).RunAsync(CancellationToken.None);

        Assert.Equal(["card", "PIN", "card", "PIN", "menu", "amount", "menu"], customer.Asked);
        Assert.Equal(2, customer.Shown.OfType<ScriptedDisplay.Goodbye>().Count());
        Assert.DoesNotContain(relay.Requests, r => r.Mti != 800);
    }

    [Fact]
    public async Task Ctrl_C_ends_the_flow_at_the_next_question()
    {
        await using var host = await InProcessHost.StartAsync();
        await using var atm = await AtmTerminalClient.ConnectAsync(new TerminalConnectionOptions { Port = host.Port }, Terminal);
        using var ctrlC = new CancellationTokenSource();
        await ctrlC.CancelAsync();

        var customer = new ScriptedDisplay(DemoCards.Active);

        await new AtmFlow(atm, customer, new FakeTimeProvider(Now)).RunAsync(ctrlC.Token);

        Assert.Empty(customer.Asked);
        Assert.Empty(customer.Shown);
    }
}
