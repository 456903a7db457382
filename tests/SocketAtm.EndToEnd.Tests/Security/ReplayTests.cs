using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Model;

namespace SocketAtm.EndToEnd.Tests.Security;

/// <summary>
/// The replay attack, scripted over real sockets against the real host: a withdrawal captured on the wire and sent again
/// later. Outside the transmission window (DE 7 against the host's clock) it is refused 63 and moves nothing; a repeat of
/// a request the host has already decided still gets its stored answer, however late.
/// </summary>
public sealed class ReplayTests
{
    [Fact]
    public async Task A_withdrawal_with_a_day_old_DE_7_is_refused_63_moves_nothing_and_is_journaled_as_a_security_event()
    {
        await using var host = await RunningHost.StartAsync();
        await using var atm = await TestTerminal.ConnectAsync(host.EndPoint);
        var dayOld = TransmissionDateTime(DateTime.UtcNow.AddDays(-1));
        var stan = TestTerminal.NextStan();

        var replayed = await atm.ExchangeAsync(DemoRequests.Withdrawal(4_000, stan, terminalId: atm.TerminalId, transmissionDateTime: dayOld));
        var itsRepeat = await atm.ExchangeAsync(DemoRequests.Withdrawal(4_000, stan, terminalId: atm.TerminalId, mti: 201, transmissionDateTime: dayOld));
        var balance = await atm.ExchangeAsync(atm.Balance(TestTerminal.NextStan()));

        Assert.Equal("63", replayed.GetString(39));
        Assert.False(replayed.Has(37) || replayed.Has(38) || replayed.Has(54));
        Assert.Equal(dayOld, replayed.GetString(7));
        Assert.Equal("63", itsRepeat.GetString(39)); // nothing was stored under its key for a repeat to find
        Assert.Equal("2001840C0000001000002002840C000000100000", balance.GetString(54));
        var journal = await host.Services.GetRequiredService<ILedgerAdmin>().ListJournalForTerminalAsync(atm.TerminalId, 10, CancellationToken.None);
        Assert.Equal(2, journal.Count(entry => entry.Disposition == JournalDisposition.Stale && entry.ResponseCode == "63"));
    }

    [Fact]
    public async Task A_repeat_of_an_approved_withdrawal_gets_its_stored_answer_after_the_window_and_a_new_one_does_not()
    {
        await using var host = await RunningHost.StartAsync(null, "--Security:TransmissionTimeWindow=00:00:02");
        await using var atm = await TestTerminal.ConnectAsync(host.EndPoint);
        var sentAt = TransmissionDateTime(DateTime.UtcNow);
        var stan = TestTerminal.NextStan();
        var approved = await atm.ExchangeAsync(DemoRequests.Withdrawal(4_000, stan, terminalId: atm.TerminalId, transmissionDateTime: sentAt));
        Assert.Equal("00", approved.GetString(39));

        await Task.Delay(TimeSpan.FromSeconds(4));
        var repeat = await atm.ExchangeAsync(DemoRequests.Withdrawal(4_000, stan, terminalId: atm.TerminalId, mti: 201, transmissionDateTime: sentAt));
        var newWithSameAge = await atm.ExchangeAsync(
            DemoRequests.Withdrawal(4_000, TestTerminal.NextStan(), terminalId: atm.TerminalId, transmissionDateTime: sentAt));
        var balance = await atm.ExchangeAsync(DemoRequests.BalanceInquiry(
            TestTerminal.NextStan(), terminalId: atm.TerminalId, transmissionDateTime: TransmissionDateTime(DateTime.UtcNow)));

        Assert.Equal("00", repeat.GetString(39));
        Assert.Equal(approved.GetString(37), repeat.GetString(37));
        Assert.Equal(approved.GetString(38), repeat.GetString(38));
        Assert.Equal(approved.GetString(54), repeat.GetString(54));
        Assert.Equal("63", newWithSameAge.GetString(39));
        Assert.EndsWith("C000000096000", balance.GetString(54)); // debited once
    }

    private static string TransmissionDateTime(DateTime utc) => utc.ToString("MMddHHmmss", CultureInfo.InvariantCulture);
}
