using SocketAtm.IssuerSim;
using SocketAtm.IssuerSim.Faults;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.EndToEnd.Tests.Acquiring;

/// <summary>
/// PROTOCOL.md §15: an issuer's bad input never reaches a terminal as an approval. An answer that cannot be trusted (DE 2
/// or DE 4 not the request's) is no answer; one that matches no request (unknown key, a request MTI) leaves the request
/// to time out; a frame that cannot be read drops the connection, which is re-established. Each time the terminal gets
/// 91, the approval the issuer booked is reversed once, and the link goes on carrying traffic.
/// </summary>
public sealed class UntrustedAnswerTests
{
    // Half the answers bad, on a seed whose first answer is bad and the next three good: the original's answer is bad;
    // the 0420's and the next withdrawal's are good (FaultPlan draws drop, late, duplicate, then bad for every answer).
    private const double BadRate = 0.5;

    public static TheoryData<BadAnswerMode> Modes =>
        [BadAnswerMode.PanMismatch, BadAnswerMode.AmountMismatch, BadAnswerMode.UnknownKey, BadAnswerMode.RequestMti, BadAnswerMode.Garbage, BadAnswerMode.Oversize];

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task A_bad_answer_is_91_with_one_reversal_the_issuer_accepts_and_later_traffic_is_answered(BadAnswerMode mode)
    {
        await using var acquirer = await AcquirerHarness.StartAsync(
            new FaultOptions { BadAnswers = mode, BadAnswerProbability = BadRate, Seed = SeedOfOneBadThenGood() }, TimeSpan.FromMilliseconds(500));
        await using var atm = await TestTerminal.ConnectAsync(acquirer.Host.EndPoint);

        var answer = await atm.ExchangeAsync(AcquirerHarness.OffUs(atm, 2_000, TestTerminal.NextStan(), AcquirerHarness.RichCard));

        Assert.Equal(ResponseCodes.IssuerUnavailable, answer.GetString(DataElements.ResponseCode));
        Assert.False(answer.Has(DataElements.AuthorizationId));
        var rrn = answer.GetString(DataElements.RetrievalReference)!;
        Assert.Equal(ResponseCodes.Approved, acquirer.IssuerLine(rrn)?.Response);
        await acquirer.WaitUntilNothingOwedAsync();
        await acquirer.AssertReversedOnceAsync(rrn);
        await acquirer.WaitUntilSignedOnAsync();
        var status = acquirer.LinkStatus;
        switch (mode)
        {
            case BadAnswerMode.PanMismatch or BadAnswerMode.AmountMismatch:
                Assert.Equal(1, status.Untrusted);
                Assert.Equal(1, status.LinkChanges);
                break;
            case BadAnswerMode.UnknownKey or BadAnswerMode.RequestMti:
                Assert.Equal(1, status.UnmatchedAnswers);
                Assert.Equal(1, status.TimedOut);
                Assert.Equal(1, status.LinkChanges);
                break;
            default:
                // Signed on, dropped, signed on again: the same simulator, which never restarted.
                Assert.Equal(1, status.FramingErrors);
                Assert.True(status.LinkChanges >= 3, $"the connection was not re-established ({status.LinkChanges} link changes)");
                break;
        }

        var later = await atm.ExchangeAsync(AcquirerHarness.OffUs(atm, 1_000, TestTerminal.NextStan(), AcquirerHarness.RichCard));

        Assert.Equal(ResponseCodes.Approved, later.GetString(DataElements.ResponseCode));
        var laterRrn = later.GetString(DataElements.RetrievalReference)!;
        Assert.Equal(1_000, acquirer.IssuerNet(laterRrn));
        Assert.Equal(1_000, await acquirer.AcquirerNetAsync(laterRrn));
        Assert.Equal(IssuerDemoData.Rich.Balance - 1_000, acquirer.Issuer.BalanceOf(AcquirerHarness.RichCard));
    }

    private static int SeedOfOneBadThenGood() => Enumerable.Range(1, 100_000).First(seed =>
    {
        var random = new Random(seed);
        return IsBad(random) && !IsBad(random) && !IsBad(random) && !IsBad(random);
    });

    private static bool IsBad(Random random)
    {
        random.NextDouble();
        random.NextDouble();
        random.NextDouble();
        return random.NextDouble() < BadRate;
    }
}
