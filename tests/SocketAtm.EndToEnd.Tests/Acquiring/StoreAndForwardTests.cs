using SocketAtm.IssuerSim.Faults;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Vocabulary;
using SocketAtm.Server.Ledger.Model;

namespace SocketAtm.EndToEnd.Tests.Acquiring;

/// <summary>
/// Store-and-forward as an operator and the issuer see it (PROTOCOL.md §15.6): a reversal the issuer refuses (12) is not
/// retried forever nor dropped — it stays in the ledger as an exception, across a restart of the host — and once the
/// operator retries it against a fixed issuer it is delivered, once, and both books agree.
/// </summary>
public sealed class StoreAndForwardTests
{
    [Fact]
    public async Task A_refused_reversal_is_kept_as_an_exception_across_a_restart_and_delivered_once_an_operator_retries_it()
    {
        // Answers later than the budget: the withdrawal is given up (91) and a reversal (68) owed.
        await using var acquirer = await AcquirerHarness.StartAsync(new FaultOptions { Delay = TimeSpan.FromSeconds(2) }, TimeSpan.FromSeconds(1));
        await using var atm = await TestTerminal.ConnectAsync(acquirer.Host.EndPoint);
        var givenUp = await atm.ExchangeAsync(AcquirerHarness.OffUs(atm, 1_500, TestTerminal.NextStan(), AcquirerHarness.RichCard));
        var rrn = givenUp.GetString(DataElements.RetrievalReference)!;
        await acquirer.StopIssuerAsync();
        await acquirer.StartIssuerAsync(new FaultOptions(), refuseReversals: ResponseCodes.InvalidTransaction);

        await AcquirerHarness.Eventually(
            async () => (await acquirer.Ledger.FindSafAsync(rrn, CancellationToken.None))?.State == SafState.Exception, "the refused reversal never became an exception");
        await acquirer.RestartHostAsync();
        await Task.Delay(Server.Acquiring.SafSender.RoundInterval * 2);
        var afterRestart = await acquirer.Ledger.FindSafAsync(rrn, CancellationToken.None);
        var triesAfterRestart = afterRestart!.Saf.Attempts;
        await Task.Delay(Server.Acquiring.SafSender.RoundInterval * 2);
        var stillNotRetried = (await acquirer.Ledger.FindSafAsync(rrn, CancellationToken.None))!.Saf.Attempts;

        await acquirer.StopIssuerAsync();
        await acquirer.StartIssuerAsync(new FaultOptions());
        var retried = await acquirer.Ledger.RetrySafAsync(afterRestart.OriginalKey, CancellationToken.None);
        await acquirer.WaitUntilNothingOwedAsync();

        Assert.Equal(ResponseCodes.IssuerUnavailable, givenUp.GetString(DataElements.ResponseCode));
        Assert.Equal((SafState.Exception, ResponseCodes.InvalidTransaction), (afterRestart.State, afterRestart.Saf.RefusedWith));
        Assert.Equal(triesAfterRestart, stillNotRetried);
        Assert.False(retried.IsReplay);
        Assert.Equal(ResponseCodes.Approved, acquirer.IssuerLine(rrn)!.ReversalResponse);
        await acquirer.AssertReversedOnceAsync(rrn);
    }

    [Fact]
    public async Task One_cards_backlog_drains_in_order_at_the_issuers_pace_not_one_message_a_round()
    {
        await using var acquirer = await AcquirerHarness.StartAsync(
            new FaultOptions { Delay = TimeSpan.FromSeconds(2) },
            TimeSpan.FromSeconds(1),
            "--Routing:Routes:0:SafRetryDelay=00:00:00.1",
            "--Routing:Routes:0:SafMaxRetryDelay=00:00:00.2");
        await using var atm = await TestTerminal.ConnectAsync(acquirer.Host.EndPoint);
        var rrns = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            rrns.Add((await atm.ExchangeAsync(AcquirerHarness.OffUs(atm, 500, TestTerminal.NextStan(), AcquirerHarness.RichCard))).GetString(DataElements.RetrievalReference)!);
        }

        await acquirer.StopIssuerAsync();
        await acquirer.StartIssuerAsync(new FaultOptions());
        bool Reversed(string rrn) => acquirer.IssuerLine(rrn)?.ReversalResponse == ResponseCodes.Approved;
        await AcquirerHarness.Eventually(() => Reversed(rrns[0]), "the first reversal never reached the issuer");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await AcquirerHarness.Eventually(() => rrns.All(Reversed), "the card's backlog never drained");
        var drained = clock.Elapsed;
        await acquirer.WaitUntilNothingOwedAsync();

        // One message of the card a round (a second each) would take four seconds for the four after the first.
        Assert.True(drained < TimeSpan.FromSeconds(2.5), $"the card's other four reversals took {drained} after its first");
        foreach (var rrn in rrns)
        {
            await acquirer.AssertReversedOnceAsync(rrn);
        }
    }
}
