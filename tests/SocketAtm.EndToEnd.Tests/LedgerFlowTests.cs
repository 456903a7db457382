using SocketAtm.Protocol.Iso8583;

namespace SocketAtm.EndToEnd.Tests;

/// <summary>Every money flow of PROTOCOL.md, over real loopback sockets against the real host and LiteDB.</summary>
public sealed class LedgerFlowTests
{
    private const string SecondPan = "4761739001010127"; // 50.00, PIN 4321

    [Fact]
    public async Task Balance_inquiry_reports_ledger_and_available_balance_of_the_demo_card()
    {
        await using var host = await RunningHost.StartAsync();
        await using var atm = await TestTerminal.ConnectAsync(host.EndPoint);

        var response = await atm.ExchangeAsync(atm.Balance(TestTerminal.NextStan()));

        Assert.Equal(210, response.Mti);
        Assert.Equal("00", response.GetString(39));
        Assert.Equal("2001840C0000001000002002840C000000100000", response.GetString(54));
    }

    [Fact]
    public async Task Approved_withdrawal_debits_the_account_and_the_next_balance_shows_it()
    {
        await using var host = await RunningHost.StartAsync();
        await using var atm = await TestTerminal.ConnectAsync(host.EndPoint);

        var withdrawal = await atm.ExchangeAsync(atm.Withdrawal(4000, TestTerminal.NextStan()));
        var balance = await atm.ExchangeAsync(atm.Balance(TestTerminal.NextStan()));

        Assert.Equal("00", withdrawal.GetString(39));
        Assert.Matches("^[0-9]{6}$", withdrawal.GetString(38));
        Assert.Matches("^[0-9]{12}$", withdrawal.GetString(37));
        Assert.EndsWith("C000000096000", withdrawal.GetString(54));
        Assert.EndsWith("C000000096000", balance.GetString(54));
    }

    [Fact]
    public async Task Repeat_0201_returns_the_stored_answer_and_debits_nothing_more()
    {
        await using var host = await RunningHost.StartAsync();
        await using var atm = await TestTerminal.ConnectAsync(host.EndPoint);
        var stan = TestTerminal.NextStan();

        var original = await atm.ExchangeAsync(atm.Withdrawal(4000, stan));
        var repeat = await atm.ExchangeAsync(atm.Withdrawal(4000, stan, mti: 201));
        var balance = await atm.ExchangeAsync(atm.Balance(TestTerminal.NextStan()));

        Assert.Equal("00", repeat.GetString(39));
        Assert.Equal(original.GetString(38), repeat.GetString(38));
        Assert.Equal(original.GetString(37), repeat.GetString(37));
        Assert.Equal(original.GetString(54), repeat.GetString(54));
        Assert.EndsWith("C000000096000", balance.GetString(54));
    }

    [Fact]
    public async Task Duplicate_original_with_a_used_key_is_declined_94_and_debits_nothing()
    {
        await using var host = await RunningHost.StartAsync();
        await using var atm = await TestTerminal.ConnectAsync(host.EndPoint);
        var stan = TestTerminal.NextStan();

        await atm.ExchangeAsync(atm.Withdrawal(4000, stan));
        var duplicate = await atm.ExchangeAsync(atm.Withdrawal(4000, stan));
        var balance = await atm.ExchangeAsync(atm.Balance(TestTerminal.NextStan()));

        Assert.Equal("94", duplicate.GetString(39));
        Assert.EndsWith("C000000096000", balance.GetString(54));
    }

    [Fact]
    public async Task Full_reversal_restores_the_amount_once_and_a_repeated_reversal_gets_the_same_answer()
    {
        await using var host = await RunningHost.StartAsync();
        await using var atm = await TestTerminal.ConnectAsync(host.EndPoint);
        var stan = TestTerminal.NextStan();
        await atm.ExchangeAsync(atm.Withdrawal(4000, stan));
        var reversalStan = TestTerminal.NextStan();

        var reversal = await atm.ExchangeAsync(atm.Reversal(4000, reversalStan, stan));
        var repeated = await atm.ExchangeAsync(atm.Reversal(4000, reversalStan, stan, mti: 401));
        var balance = await atm.ExchangeAsync(atm.Balance(TestTerminal.NextStan()));

        Assert.Equal(410, reversal.Mti);
        Assert.Equal("00", reversal.GetString(39));
        Assert.Equal("00", repeated.GetString(39));
        Assert.EndsWith("C000000100000", balance.GetString(54));
    }

    [Fact]
    public async Task Partial_reversal_restores_only_what_was_not_dispensed()
    {
        await using var host = await RunningHost.StartAsync();
        await using var atm = await TestTerminal.ConnectAsync(host.EndPoint);
        var stan = TestTerminal.NextStan();
        await atm.ExchangeAsync(atm.Withdrawal(10000, stan));

        var reversal = await atm.ExchangeAsync(atm.Reversal(10000, TestTerminal.NextStan(), stan, dispensed: 6000));
        var balance = await atm.ExchangeAsync(atm.Balance(TestTerminal.NextStan()));

        Assert.Equal("00", reversal.GetString(39));
        Assert.EndsWith("C000000094000", balance.GetString(54));
    }

    [Fact]
    public async Task Reversal_of_an_unknown_original_is_answered_25_and_the_late_original_is_declined()
    {
        await using var host = await RunningHost.StartAsync();
        await using var atm = await TestTerminal.ConnectAsync(host.EndPoint);
        var stan = TestTerminal.NextStan();

        var reversal = await atm.ExchangeAsync(atm.Reversal(4000, TestTerminal.NextStan(), stan));
        var late = await atm.ExchangeAsync(atm.Withdrawal(4000, stan));
        var balance = await atm.ExchangeAsync(atm.Balance(TestTerminal.NextStan()));

        Assert.Equal("25", reversal.GetString(39));
        Assert.NotEqual("00", late.GetString(39));
        Assert.EndsWith("C000000100000", balance.GetString(54));
    }

    [Fact]
    public async Task Pipelined_requests_on_one_connection_are_all_answered_and_matched_by_stan()
    {
        await using var host = await RunningHost.StartAsync();
        await using var atm = await TestTerminal.ConnectAsync(host.EndPoint);
        var stans = Enumerable.Range(0, 20).Select(_ => TestTerminal.NextStan()).ToArray();

        foreach (var stan in stans)
        {
            await atm.SendAsync(atm.Withdrawal(1000, stan));
        }

        var answered = new List<IsoMessage>();
        for (var i = 0; i < stans.Length; i++)
        {
            answered.Add(await atm.ReceiveAsync());
        }

        Assert.Equal(stans.Select(s => s.ToString("D6", System.Globalization.CultureInfo.InvariantCulture)).Order(), answered.Select(r => r.GetString(11)!).Order());
        Assert.Equal(10, answered.Count(r => r.GetString(39) == "00")); // default daily count limit is 10
        Assert.Equal(10, answered.Count(r => r.GetString(39) == "65"));
    }

    [Fact]
    public async Task Many_connections_withdrawing_from_one_account_never_take_it_below_zero()
    {
        await using var host = await RunningHost.StartAsync();
        var terminals = await Task.WhenAll(Enumerable.Range(1, 8).Select(i => TestTerminal.ConnectAsync(host.EndPoint, i % 2 == 0 ? "ATM00009" : "ATM00010")));
        try
        {
            // 8 connections of two terminals × 3 withdrawals of 10.00 against a 50.00 balance: exactly 5 can be approved.
            var perTerminal = await Task.WhenAll(terminals.Select(async atm =>
            {
                var answers = new List<IsoMessage>();
                for (var i = 0; i < 3; i++)
                {
                    answers.Add(await atm.ExchangeAsync(atm.Withdrawal(1000, TestTerminal.NextStan(), SecondPan, "4321")));
                }

                return answers;
            }));
            var responses = perTerminal.SelectMany(answers => answers).ToList();

            Assert.Equal(5, responses.Count(r => r.GetString(39) == "00"));
            Assert.All(responses.Where(r => r.GetString(39) != "00"), r => Assert.Equal("51", r.GetString(39)));
            var balance = await terminals[0].ExchangeAsync(terminals[0].Balance(TestTerminal.NextStan(), SecondPan, "4321"));
            Assert.EndsWith("C000000000000", balance.GetString(54));
        }
        finally
        {
            foreach (var atm in terminals)
            {
                await atm.DisposeAsync();
            }
        }
    }
}
