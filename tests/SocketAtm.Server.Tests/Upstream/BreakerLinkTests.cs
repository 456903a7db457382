using SocketAtm.Protocol.Iso8583;
using SocketAtm.Server.Upstream;

namespace SocketAtm.Server.Tests.Upstream;

/// <summary>The breaker on a live link: financial requests held back while it is open, advices still sent, a probe closing it.</summary>
public class BreakerLinkTests
{
    [Fact]
    public async Task While_open_a_financial_request_is_not_sent_but_a_reversal_advice_still_is()
    {
        await using var issuer = new FakeIssuer();
        issuer.Handler = (request, connection) => MessageTypes.IsFinancialRequest(request.Mti) ? Task.CompletedTask : connection.SendAsync(FakeIssuer.AnswerTo(request));
        var options = Breaking(issuer.Endpoint, openFor: TimeSpan.FromMinutes(5));
        await using var link = await LinkHarness.StartAsync(options);
        Assert.Equal(RouteAvailability.Available, link.Route.Availability);

        var timedOut = new List<UpstreamReply>();
        for (var i = 1; i <= options.BreakerFailures; i++)
        {
            timedOut.Add(await link.ExchangeAsync(link.Request(rrn: $"{i:D12}")));
        }

        var held = await link.ExchangeAsync(link.Request(rrn: "000000000009"));
        var advice = await link.ExchangeAsync(Advice(link, timedOut.Count));

        Assert.All(timedOut, reply => Assert.Equal(TimedOutReason.Timeout, reply.TimedOutReason));
        Assert.Equal(UpstreamOutcome.NotSent, held.Outcome);
        Assert.Equal(NotSentReason.BreakerOpen, held.NotSentReason);
        Assert.Equal(RouteAvailability.BreakerOpen, link.Route.Availability);
        Assert.Equal(options.BreakerFailures, issuer.ReceivedOf(MessageTypes.FinancialRequest).Count());
        Assert.Equal(UpstreamOutcome.Answered, advice.Outcome);
        Assert.Single(issuer.ReceivedOf(MessageTypes.ReversalAdvice));
        Assert.Equal(1, link.Counters.Count("socketatm.upstream.not_sent/route=test-issuer/reason=breaker_open"));
        await link.WaitUntilAsync(() => LinkStatusFile.TryRead(link.StatusFile) is { Routes: [{ Breaker: BreakerState.Open, BreakerOpens: 1 }] }, "the status file shows the breaker open");
    }

    [Fact]
    public async Task After_the_open_time_the_answered_probe_closes_it_and_traffic_flows_again()
    {
        await using var issuer = new FakeIssuer();
        var answering = false;
        issuer.Handler = (request, connection) => !Volatile.Read(ref answering) && MessageTypes.IsFinancialRequest(request.Mti) ? Task.CompletedTask : connection.SendAsync(FakeIssuer.AnswerTo(request));
        var options = Breaking(issuer.Endpoint, openFor: TimeSpan.FromMilliseconds(300));
        await using var link = await LinkHarness.StartAsync(options);
        for (var i = 1; i <= options.BreakerFailures; i++)
        {
            await link.ExchangeAsync(link.Request(rrn: $"{i:D12}"));
        }

        Assert.Equal(RouteAvailability.BreakerOpen, link.Route.Availability);
        Volatile.Write(ref answering, true);
        await link.WaitUntilAsync(() => link.Route.Breaker.State == BreakerState.HalfOpen, "the breaker is half-open");
        var probe = await link.ExchangeAsync(link.Request(rrn: "000000000010"));
        var after = await link.ExchangeAsync(link.Request(rrn: "000000000011"));

        Assert.Equal(UpstreamOutcome.Answered, probe.Outcome);
        Assert.Equal(UpstreamOutcome.Answered, after.Outcome);
        Assert.Equal(BreakerState.Closed, link.Route.Breaker.State);
        Assert.Equal(RouteAvailability.Available, link.Route.Availability);
    }

    [Fact]
    public async Task With_no_connection_signed_on_the_route_is_link_down()
    {
        await using var issuer = new FakeIssuer();
        issuer.Handler = (request, connection) => connection.SendAsync(FakeIssuer.AnswerTo(request, ResponseCodes.IssuerUnavailable));
        await using var link = await LinkHarness.StartAsync(LinkHarness.Options(issuer.Endpoint), waitForSignOn: false);
        await link.WaitUntilAsync(() => issuer.SignOns >= 1, "a sign-on was refused");

        Assert.Equal(RouteAvailability.LinkDown, link.Route.Availability);
    }

    private static Routing.RouteOptions Breaking(string endpoint, TimeSpan openFor)
    {
        var options = LinkHarness.Options(endpoint);
        options.Timeout = TimeSpan.FromMilliseconds(150);
        options.BreakerFailures = 2;
        options.BreakerOpenFor = openFor;
        return options;
    }

    /// <summary>The give-up advice of the first withdrawal the issuer did not answer.</summary>
    private static IsoMessage Advice(LinkHarness link, int rrnOfOriginal)
    {
        var original = link.Request(rrn: $"{rrnOfOriginal:D12}");
        return UpstreamRequests.ReversalAdvice(new UpstreamReversal(original, ResponseCodes.ResponseReceivedTooLate, link.Route.NextStan(), DateTimeOffset.UtcNow));
    }
}
