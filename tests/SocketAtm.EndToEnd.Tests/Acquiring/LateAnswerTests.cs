using SocketAtm.IssuerSim;
using SocketAtm.IssuerSim.Faults;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.EndToEnd.Tests.Acquiring;

/// <summary>
/// PROTOCOL.md §15: an issuer's approval that arrives after the acquirer gave up is a late answer — counted, never delivered
/// (the terminal was answered 91) — and the approval it carries is undone by the acquirer's own reversal, once.
/// </summary>
public sealed class LateAnswerTests
{
    [Fact]
    public async Task A_late_approval_is_counted_not_delivered_and_reversed_upstream_exactly_once()
    {
        // Every answer is late; the route gives up after 400 ms and the approval comes at 1.2 s. The 0430s are late too,
        // so the 0421 retries go on until the issuer answers in time (restarted without faults below).
        await using var acquirer = await AcquirerHarness.StartAsync(
            new FaultOptions { LateProbability = 1, LateBy = TimeSpan.FromMilliseconds(1_200) }, TimeSpan.FromMilliseconds(400));
        await using var atm = await TestTerminal.ConnectAsync(acquirer.Host.EndPoint);

        var stan = TestTerminal.NextStan();
        var answer = await atm.ExchangeAsync(AcquirerHarness.OffUs(atm, 3_000, stan, AcquirerHarness.RichCard));

        Assert.Equal(ResponseCodes.IssuerUnavailable, answer.GetString(DataElements.ResponseCode));
        Assert.False(answer.Has(DataElements.AuthorizationId));
        var rrn = answer.GetString(DataElements.RetrievalReference)!;
        Assert.Equal(ResponseCodes.Approved, acquirer.IssuerLine(rrn)?.Response);
        await AcquirerHarness.Eventually(() => acquirer.LinkStatus.LateAnswers >= 1, "the late approval was never counted as late");
        Assert.Equal(0, acquirer.LinkStatus.Answered);

        // The late approval changed nothing: a repeat still gets the 91 the terminal was given.
        var repeat = await atm.ExchangeAsync(AcquirerHarness.OffUs(atm, 3_000, stan, AcquirerHarness.RichCard, mti: 201));
        Assert.Equal(ResponseCodes.IssuerUnavailable, repeat.GetString(DataElements.ResponseCode));

        await AcquirerHarness.Eventually(() => acquirer.IssuerLine(rrn)?.ReversalResponse == ResponseCodes.Approved, "the issuer never received the reversal");
        await acquirer.RestartIssuerAsync(new FaultOptions());
        await acquirer.WaitUntilNothingOwedAsync();
        await acquirer.AssertReversedOnceAsync(rrn);
        Assert.Equal(IssuerDemoData.Rich.Balance, acquirer.Issuer.BalanceOf(AcquirerHarness.RichCard));
        Assert.Empty(await acquirer.Ledger.ListAcquirerBookAsync(null, CancellationToken.None));
    }
}
