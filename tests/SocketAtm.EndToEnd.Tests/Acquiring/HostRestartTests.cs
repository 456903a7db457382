using SocketAtm.IssuerSim;
using SocketAtm.IssuerSim.Faults;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.EndToEnd.Tests.Acquiring;

/// <summary>
/// PROTOCOL.md §15 across a host restart on the same data: a forwarded answer is in the journal, so a repeat gets it again
/// without a second forward; a forward still pending when the host stopped is given up after the restart — 91 to the
/// repeat, and the withdrawal reversed upstream once.
/// </summary>
public sealed class HostRestartTests
{
    [Fact]
    public async Task A_repeat_after_a_host_restart_is_answered_from_the_journal_and_the_issuer_booked_it_once()
    {
        await using var acquirer = await AcquirerHarness.StartAsync();
        var stan = TestTerminal.NextStan();
        IsoMessage original;
        await using (var atm = await TestTerminal.ConnectAsync(acquirer.Host.EndPoint))
        {
            original = await atm.ExchangeAsync(AcquirerHarness.OffUs(atm, 4_500, stan, AcquirerHarness.RichCard));
        }

        await acquirer.RestartHostAsync();

        await using var again = await TestTerminal.ConnectAsync(acquirer.Host.EndPoint);
        var repeat = await again.ExchangeAsync(AcquirerHarness.OffUs(again, 4_500, stan, AcquirerHarness.RichCard, mti: 201));

        Assert.Equal(ResponseCodes.Approved, original.GetString(DataElements.ResponseCode));
        Assert.Equal(ResponseCodes.Approved, repeat.GetString(DataElements.ResponseCode));
        Assert.Equal(original.GetString(DataElements.AuthorizationId), repeat.GetString(DataElements.AuthorizationId));
        Assert.Equal(original.GetString(DataElements.RetrievalReference), repeat.GetString(DataElements.RetrievalReference));
        var rrn = original.GetString(DataElements.RetrievalReference)!;
        Assert.Equal(1, acquirer.Decisions.Count("0200", rrn));
        Assert.Single(acquirer.Issuer.Book());
        Assert.Equal(4_500, acquirer.IssuerNet(rrn));
        Assert.Equal(4_500, await acquirer.AcquirerNetAsync(rrn));
        Assert.Equal(IssuerDemoData.Rich.Balance - 4_500, acquirer.Issuer.BalanceOf(AcquirerHarness.RichCard));
    }

    [Fact]
    public async Task A_forward_pending_when_the_host_stops_is_given_up_on_the_way_down_91_to_its_repeat_after_the_restart_and_reversed_once()
    {
        // The issuer books at once and answers after 6 s; the host stops while the answer is still on its way, its terminal
        // drain cut short: the forward is given up as the session ends (a graceful stop never leaves it pending).
        await using var acquirer = await AcquirerHarness.StartAsync(
            new FaultOptions { Delay = TimeSpan.FromSeconds(6) }, TimeSpan.FromSeconds(3), "--Listener:DrainTimeout=00:00:00.2");
        var stan = TestTerminal.NextStan();
        await using (var atm = await TestTerminal.ConnectAsync(acquirer.Host.EndPoint))
        {
            await atm.SendAsync(AcquirerHarness.OffUs(atm, 3_500, stan, AcquirerHarness.RichCard));
            await AcquirerHarness.Eventually(() => acquirer.Issuer.Book().Count == 1, "the issuer never booked the forwarded withdrawal");
            await acquirer.Host.StopAsync();
        }

        var rrn = Assert.Single(acquirer.Issuer.Book()).Rrn;
        Assert.Equal(3_500, acquirer.IssuerNet(rrn));
        await acquirer.RestartHostAsync();

        await using var again = await TestTerminal.ConnectAsync(acquirer.Host.EndPoint);
        var repeat = await again.ExchangeAsync(AcquirerHarness.OffUs(again, 3_500, stan, AcquirerHarness.RichCard, mti: 201));

        Assert.Equal(ResponseCodes.IssuerUnavailable, repeat.GetString(DataElements.ResponseCode));
        Assert.Equal(rrn, repeat.GetString(DataElements.RetrievalReference));

        // Its 0430s are 4 s late as well: once the issuer has the reversal, it answers in time again.
        await AcquirerHarness.Eventually(() => acquirer.IssuerLine(rrn)?.ReversalResponse == ResponseCodes.Approved, "the issuer never received the reversal");
        await acquirer.RestartIssuerAsync(new FaultOptions());
        await acquirer.WaitUntilNothingOwedAsync();
        await acquirer.AssertReversedOnceAsync(rrn);
        Assert.Equal(IssuerDemoData.Rich.Balance, acquirer.Issuer.BalanceOf(AcquirerHarness.RichCard));
        Assert.Empty(await acquirer.Ledger.ListAcquirerBookAsync(null, CancellationToken.None));
    }

    [Fact]
    public async Task A_forward_pending_when_the_host_was_killed_is_swept_after_the_restart_91_to_its_repeat_and_reversed_once()
    {
        await using var acquirer = await AcquirerHarness.StartAsync(new FaultOptions { Delay = TimeSpan.FromSeconds(6) }, TimeSpan.FromSeconds(1));
        var data = Path.Combine(Path.GetTempPath(), "socketatm-e2e-" + Guid.NewGuid().ToString("N"));
        string[] args = [.. AcquirerHarness.RouteArgs(acquirer.Issuer.Port, TimeSpan.FromSeconds(1))];
        var stan = TestTerminal.NextStan();
        using (var killed = await HostProcess.StartAsync(data, args))
        {
            await using var atm = await TestTerminal.ConnectAsync(killed.EndPoint);
            await atm.SendAsync(AcquirerHarness.OffUs(atm, 3_500, stan, AcquirerHarness.RichCard));
            await AcquirerHarness.Eventually(() => acquirer.Issuer.Book().Count == 1, "the issuer never booked the forwarded withdrawal");
            await killed.KillAsync();
        }

        var rrn = Assert.Single(acquirer.Issuer.Book()).Rrn;
        await using var restarted = await RunningHost.StartAsync(data, args);
        await using var again = await TestTerminal.ConnectAsync(restarted.EndPoint);
        var repeat = await again.ExchangeAsync(AcquirerHarness.OffUs(again, 3_500, stan, AcquirerHarness.RichCard, mti: 201));

        Assert.Equal(ResponseCodes.IssuerUnavailable, repeat.GetString(DataElements.ResponseCode));
        Assert.Equal(rrn, repeat.GetString(DataElements.RetrievalReference));
        var ledger = AcquirerHarness.LedgerOf(restarted);
        await AcquirerHarness.Eventually(() => acquirer.IssuerLine(rrn)?.ReversalResponse == ResponseCodes.Approved, "the issuer never received the reversal");
        await acquirer.RestartIssuerAsync(new FaultOptions());
        await AcquirerHarness.Eventually(
            async () => (await ledger.ListOwedMessagesAsync(AcquirerHarness.Route, 10, CancellationToken.None)).Count == 0,
            "the reversal was never acknowledged",
            TimeSpan.FromSeconds(20));
        var line = acquirer.IssuerLine(rrn)!;
        Assert.Equal(0, line.NetAmount);
        Assert.Equal(1, acquirer.Decisions.Count("0420", rrn));
        Assert.Equal(IssuerDemoData.Rich.Balance, acquirer.Issuer.BalanceOf(AcquirerHarness.RichCard));
        Assert.Empty(await ledger.ListAcquirerBookAsync(null, CancellationToken.None));
    }
}
