using SocketAtm.Protocol.Iso8583;

namespace SocketAtm.EndToEnd.Tests;

/// <summary>
/// Points of PROTOCOL.md an integrator tripped over, settled in the document and held here against the real host:
/// which answers carry DE 54 and with which account type, what a 94 carries, and what DE 90's MTI must be.
/// </summary>
public sealed class SettledContractTests
{
    private const string ExpiredPan = "4761739001010135";
    private const string ExpiredPin = "1111";
    private const string RestrictedPan = "4761739001010143";
    private const string RestrictedPin = "2222";

    [Theory]
    [InlineData(TestTerminal.DemoPan, "9999", "55")]
    [InlineData(ExpiredPan, ExpiredPin, "54")]
    [InlineData(RestrictedPan, RestrictedPin, "62")]
    [InlineData("4761739001010101", "1234", "14")]
    public async Task Declines_before_the_account_is_selected_carry_no_balances(string pan, string pin, string expected)
    {
        await using var host = await RunningHost.StartAsync();
        await using var atm = await TestTerminal.ConnectAsync(host.EndPoint);

        var withdrawal = await atm.ExchangeAsync(atm.Withdrawal(1_000, TestTerminal.NextStan(), pan, pin));
        var balance = await atm.ExchangeAsync(atm.Balance(TestTerminal.NextStan(), pan, pin));

        Assert.Equal(expected, withdrawal.GetString(39));
        Assert.False(withdrawal.Has(54));
        Assert.Equal(expected, balance.GetString(39));
        Assert.False(balance.Has(54));
    }

    [Fact]
    public async Task Withdrawal_declined_for_funds_carries_the_unchanged_balances()
    {
        await using var host = await RunningHost.StartAsync();
        await using var atm = await TestTerminal.ConnectAsync(host.EndPoint);

        var declined = await atm.ExchangeAsync(atm.Withdrawal(6_000, TestTerminal.NextStan(), "4761739001010127", "4321"));

        Assert.Equal("51", declined.GetString(39));
        Assert.Equal("2001840C0000000050002002840C000000005000", declined.GetString(54));
    }

    [Fact]
    public async Task Default_account_in_de3_is_reported_in_de54_with_the_accounts_own_type()
    {
        await using var host = await RunningHost.StartAsync();
        await using var atm = await TestTerminal.ConnectAsync(host.EndPoint);
        var request = atm.Withdrawal(1_000, TestTerminal.NextStan());
        request.Set(3, "010000");

        var approved = await atm.ExchangeAsync(request);

        Assert.Equal("00", approved.GetString(39));
        Assert.Equal("010000", approved.GetString(3));
        Assert.StartsWith("2001840", approved.GetString(54));
    }

    [Fact]
    public async Task A_94_for_a_used_key_carries_no_rrn_auth_id_or_balances()
    {
        await using var host = await RunningHost.StartAsync();
        await using var atm = await TestTerminal.ConnectAsync(host.EndPoint);
        var stan = TestTerminal.NextStan();
        await atm.ExchangeAsync(atm.Withdrawal(1_000, stan));

        var duplicate = await atm.ExchangeAsync(atm.Withdrawal(1_000, stan));

        Assert.Equal("94", duplicate.GetString(39));
        Assert.Equal(stan.ToString("D6", System.Globalization.CultureInfo.InvariantCulture), duplicate.GetString(11));
        Assert.False(duplicate.Has(37));
        Assert.False(duplicate.Has(38));
        Assert.False(duplicate.Has(54));
    }

    [Fact]
    public async Task A_94_for_an_original_whose_reversal_came_first_carries_an_rrn_and_its_repeat_gets_the_same()
    {
        await using var host = await RunningHost.StartAsync();
        await using var atm = await TestTerminal.ConnectAsync(host.EndPoint);
        var stan = TestTerminal.NextStan();
        Assert.Equal("25", (await atm.ExchangeAsync(atm.Reversal(1_000, TestTerminal.NextStan(), stan))).GetString(39));

        var late = await atm.ExchangeAsync(atm.Withdrawal(1_000, stan));
        var repeat = await atm.ExchangeAsync(atm.Withdrawal(1_000, stan, mti: 201));

        Assert.Equal("94", late.GetString(39));
        Assert.Matches("^[0-9]{12}$", late.GetString(37));
        Assert.False(late.Has(38));
        Assert.False(late.Has(54));
        Assert.Equal("94", repeat.GetString(39));
        Assert.Equal(late.GetString(37), repeat.GetString(37));
    }

    [Theory]
    [InlineData("0200")]
    [InlineData("0201")]
    public async Task Reversal_finds_an_original_sent_only_as_0201_whichever_mti_de90_names(string mtiInDe90)
    {
        await using var host = await RunningHost.StartAsync();
        await using var atm = await TestTerminal.ConnectAsync(host.EndPoint);
        var stan = TestTerminal.NextStan();
        Assert.Equal("00", (await atm.ExchangeAsync(atm.Withdrawal(4_000, stan, mti: 201))).GetString(39));
        var reversal = atm.Reversal(4_000, TestTerminal.NextStan(), stan);
        reversal.Set(90, mtiInDe90 + reversal.GetString(90)![4..]);

        var answer = await atm.ExchangeAsync(reversal);
        var balance = await atm.ExchangeAsync(atm.Balance(TestTerminal.NextStan()));

        Assert.Equal("00", answer.GetString(39));
        Assert.EndsWith("C000000100000", answer.GetString(54));
        Assert.EndsWith("C000000100000", balance.GetString(54));
    }
}
