using Microsoft.Extensions.DependencyInjection;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Model;

namespace SocketAtm.EndToEnd.Tests.Security;

/// <summary>
/// The forged-reversal attack, scripted over real sockets against the real host: an 0400 naming a real withdrawal (its
/// DE 90) but carrying another card's PAN or another amount. It restores nothing, uses up neither the original nor the
/// reversal's own key, and cannot stop the genuine reversal, or, sent before its original, the original itself.
/// </summary>
public sealed class ForgedReversalTests
{
    private const string FullBalance = "2001840C0000001000002002840C000000100000";
    private const string AfterWithdrawal = "2001840C0000000960002002840C000000096000";

    [Fact]
    public async Task A_reversal_with_another_cards_pan_restores_nothing_and_the_genuine_reversal_with_the_same_key_still_restores()
    {
        await using var host = await RunningHost.StartAsync();
        await using var atm = await TestTerminal.ConnectAsync(host.EndPoint);
        var stan = TestTerminal.NextStan();
        Assert.Equal("00", (await atm.ExchangeAsync(atm.Withdrawal(4_000, stan))).GetString(39));
        var reversalStan = TestTerminal.NextStan();

        var forged = await atm.ExchangeAsync(atm.Reversal(4_000, reversalStan, stan, pan: DemoCards.Poor));
        var balanceAfterForgery = await atm.ExchangeAsync(atm.Balance(TestTerminal.NextStan()));
        var genuine = await atm.ExchangeAsync(atm.Reversal(4_000, reversalStan, stan));
        var balanceAfterReversal = await atm.ExchangeAsync(atm.Balance(TestTerminal.NextStan()));

        Assert.Equal("25", forged.GetString(39));
        Assert.False(forged.Has(54));
        Assert.Equal(AfterWithdrawal, balanceAfterForgery.GetString(54));
        Assert.Equal("00", genuine.GetString(39));
        Assert.Equal(FullBalance, balanceAfterReversal.GetString(54));
        Assert.Equal(1, await MismatchesJournaledAsync(host, atm.TerminalId, "25"));
    }

    [Fact]
    public async Task A_reversal_with_another_amount_restores_nothing_and_the_genuine_reversal_still_restores()
    {
        await using var host = await RunningHost.StartAsync();
        await using var atm = await TestTerminal.ConnectAsync(host.EndPoint);
        var stan = TestTerminal.NextStan();
        Assert.Equal("00", (await atm.ExchangeAsync(atm.Withdrawal(4_000, stan))).GetString(39));
        var reversalStan = TestTerminal.NextStan();

        var forged = await atm.ExchangeAsync(atm.Reversal(40_000, reversalStan, stan));
        var forgedRepeat = await atm.ExchangeAsync(atm.Reversal(40_000, reversalStan, stan, mti: 401));
        var balanceAfterForgery = await atm.ExchangeAsync(atm.Balance(TestTerminal.NextStan()));
        var genuine = await atm.ExchangeAsync(atm.Reversal(4_000, reversalStan, stan));
        var balanceAfterReversal = await atm.ExchangeAsync(atm.Balance(TestTerminal.NextStan()));

        Assert.Equal("64", forged.GetString(39));
        Assert.Equal("64", forgedRepeat.GetString(39));
        Assert.Equal(AfterWithdrawal, balanceAfterForgery.GetString(54));
        Assert.Equal("00", genuine.GetString(39));
        Assert.Equal(FullBalance, balanceAfterReversal.GetString(54));
        Assert.Equal(2, await MismatchesJournaledAsync(host, atm.TerminalId, "64"));
    }

    [Fact]
    public async Task A_forged_reversal_sent_before_its_original_neither_blocks_the_original_nor_its_genuine_reversal()
    {
        await using var host = await RunningHost.StartAsync();
        await using var atm = await TestTerminal.ConnectAsync(host.EndPoint);
        var stan = TestTerminal.NextStan();

        var forged = await atm.ExchangeAsync(atm.Reversal(4_000, TestTerminal.NextStan(), stan, pan: DemoCards.Poor));
        var original = await atm.ExchangeAsync(atm.Withdrawal(4_000, stan));
        var genuine = await atm.ExchangeAsync(atm.Reversal(4_000, TestTerminal.NextStan(), stan));
        var balance = await atm.ExchangeAsync(atm.Balance(TestTerminal.NextStan()));

        Assert.Equal("25", forged.GetString(39)); // the host cannot tell yet: it only remembers which card and amount were reversed
        Assert.Equal("00", original.GetString(39));
        Assert.Equal("00", genuine.GetString(39));
        Assert.Equal(FullBalance, balance.GetString(54));
    }

    private static async Task<int> MismatchesJournaledAsync(RunningHost host, string terminalId, string responseCode)
    {
        var journal = await host.Services.GetRequiredService<ILedgerAdmin>().ListJournalForTerminalAsync(terminalId, 20, CancellationToken.None);
        return journal.Count(entry => entry.Disposition == JournalDisposition.Mismatched && entry.ResponseCode == responseCode);
    }
}
