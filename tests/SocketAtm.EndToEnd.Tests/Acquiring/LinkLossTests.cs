using SocketAtm.IssuerSim;
using SocketAtm.IssuerSim.Faults;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.EndToEnd.Tests.Acquiring;

/// <summary>
/// PROTOCOL.md §15: a link lost with requests in flight ends each of them as no answer — 91 to the terminal, a reversal
/// upstream — and the route fails over to its next endpoint, which carries the reversals and the new requests. Nothing is
/// lost: for every RRN the terminals were given, the acquirer's book and the issuer's agree.
/// </summary>
/// <remarks>
/// The two endpoints are one issuer (one book), as an issuer's fail-over hosts are: a <see cref="TcpRelay"/> in front of the
/// simulator, then the simulator itself. Two simulators with books of their own could not agree with the acquirer: the
/// reversal of a request the first one booked would reach the second.
/// </remarks>
public sealed class LinkLossTests
{
    [Fact]
    public async Task Requests_in_flight_on_a_lost_link_are_91_and_reversed_over_the_next_endpoint_and_both_books_agree()
    {
        // Answers take 1 s, so requests are in flight when the first endpoint dies; the budget is 3 s.
        await using var acquirer = await AcquirerHarness.StartAsync(new AcquirerSetup
        {
            Faults = new FaultOptions { Delay = TimeSpan.FromSeconds(1) },
            Timeout = TimeSpan.FromSeconds(3),
            FailOverRelay = true,
        });
        var relay = acquirer.Relay!;
        Assert.Equal($"127.0.0.1:{relay.Port}", acquirer.LinkStatus.Endpoints.Single());
        await using var atmA = await TestTerminal.ConnectAsync(acquirer.Host.EndPoint, "ATM00009");
        await using var atmB = await TestTerminal.ConnectAsync(acquirer.Host.EndPoint, "ATM00010");

        // Booked by the issuer, their answers on the way when the link goes.
        var booked = Enumerable.Range(0, 3).Select(i => AcquirerHarness.OffUs(atmA, 1_000 + (100 * i), TestTerminal.NextStan(), AcquirerHarness.RichCard)).ToList();
        var bookedAnswers = AcquirerHarness.PipelineAsync(atmA, booked);
        await AcquirerHarness.Eventually(() => acquirer.Issuer.Book().Count == 3, "the issuer never booked the first requests");

        // Sent by the host, never reaching the issuer.
        relay.Hold();
        var swallowed = Enumerable.Range(0, 2).Select(i => AcquirerHarness.OffUs(atmB, 2_000 + (100 * i), TestTerminal.NextStan(), AcquirerHarness.RichCard)).ToList();
        var swallowedAnswers = AcquirerHarness.PipelineAsync(atmB, swallowed);
        await AcquirerHarness.Eventually(() => relay.SwallowedFrames >= 2, "the held requests never left the host");
        relay.Kill();

        var bookedRrns = (await bookedAnswers).Values.Select(answer => answer.GetString(DataElements.RetrievalReference)!).ToList();
        var swallowedRrns = (await swallowedAnswers).Values.Select(answer => answer.GetString(DataElements.RetrievalReference)!).ToList();
        var lost = (await bookedAnswers).Values.Concat((await swallowedAnswers).Values).ToList();
        Assert.All(lost, answer => Assert.Equal(ResponseCodes.IssuerUnavailable, answer.GetString(DataElements.ResponseCode)));
        await AcquirerHarness.Eventually(() => acquirer.LinkStatus.Endpoints.Contains(acquirer.IssuerEndpoint), "the route never failed over to its second endpoint");

        var after = new List<IsoMessage>();
        for (var i = 0; i < 2; i++)
        {
            after.Add(await atmA.ExchangeAsync(AcquirerHarness.OffUs(atmA, 500, TestTerminal.NextStan(), AcquirerHarness.RichCard)));
        }

        Assert.All(after, answer => Assert.Equal(ResponseCodes.Approved, answer.GetString(DataElements.ResponseCode)));
        await acquirer.WaitUntilNothingOwedAsync();
        foreach (var rrn in bookedRrns)
        {
            await acquirer.AssertReversedOnceAsync(rrn);
        }

        foreach (var rrn in swallowedRrns)
        {
            // The issuer never saw these originals: it accepted their reversals all the same, and recorded them.
            var line = acquirer.IssuerLine(rrn);
            Assert.NotNull(line);
            Assert.Equal(("reversal-only", ResponseCodes.Approved, 0L), (line.Kind, line.ReversalResponse, line.NetAmount));
            Assert.Equal(1, acquirer.Decisions.Count("0420", rrn));
        }

        foreach (var rrn in bookedRrns.Concat(swallowedRrns).Concat(after.Select(answer => answer.GetString(DataElements.RetrievalReference)!)))
        {
            Assert.Equal(acquirer.IssuerNet(rrn), await acquirer.AcquirerNetAsync(rrn));
        }

        Assert.Equal(7, acquirer.Issuer.Book().Count);
        Assert.Equal(IssuerDemoData.Rich.Balance - 1_000, acquirer.Issuer.BalanceOf(AcquirerHarness.RichCard));
        Assert.Equal(1_000, (await acquirer.Ledger.ListAcquirerBookAsync(null, CancellationToken.None)).Sum(line => line.NetAmount));
    }
}
