using System.Collections.Concurrent;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Server.Upstream;

namespace SocketAtm.Server.Tests.Upstream;

/// <summary>The link over real loopback sockets: sign-on before traffic, many requests in flight, timeouts and caps.</summary>
public class LinkTests
{
    [Fact]
    public async Task Each_connection_signs_on_before_it_carries_a_request()
    {
        await using var issuer = new FakeIssuer();
        var options = LinkHarness.Options(issuer.Endpoint);
        options.Connections = 2;
        await using var link = await LinkHarness.StartAsync(options);

        var reply = await link.ExchangeAsync(link.Request());

        Assert.Equal(UpstreamOutcome.Answered, reply.Outcome);
        Assert.Equal(ResponseCodes.Approved, reply.Answer!.GetString(DataElements.ResponseCode));
        Assert.Equal(2, issuer.Connections.Count);
        foreach (var connection in issuer.Connections)
        {
            var first = issuer.Received.First(entry => entry.Connection == connection).Message;
            Assert.Equal(MessageTypes.NetworkManagementRequest, first.Mti);
            Assert.Equal("001", first.GetString(DataElements.NetworkManagementCode));
            Assert.Equal(LinkHarness.AcquirerId, first.GetString(DataElements.AcquirerId));
            Assert.True(first.Has(DataElements.TransmissionDateTime) && first.Has(DataElements.Stan));
        }
    }

    [Fact]
    public async Task A_route_whose_sign_on_is_refused_sends_nothing()
    {
        await using var issuer = new FakeIssuer();
        issuer.Handler = (request, connection) => connection.SendAsync(FakeIssuer.AnswerTo(request, ResponseCodes.IssuerUnavailable));
        await using var link = await LinkHarness.StartAsync(LinkHarness.Options(issuer.Endpoint), waitForSignOn: false);
        await link.WaitUntilAsync(() => issuer.SignOns >= 2, "the refused sign-on was tried again");

        var reply = await link.ExchangeAsync(link.Request());

        Assert.Equal(UpstreamOutcome.NotSent, reply.Outcome);
        Assert.Equal(NotSentReason.NoSignedOnConnection, reply.NotSentReason);
        Assert.Empty(issuer.ReceivedOf(MessageTypes.FinancialRequest));
    }

    [Fact]
    public async Task Pipelined_requests_answered_out_of_order_each_get_their_own_answer()
    {
        const int count = 8;
        await using var issuer = new FakeIssuer();
        var held = new ConcurrentQueue<(IsoMessage, FakeIssuerConnection)>();
        issuer.Handler = async (request, connection) =>
        {
            if (request.Mti != MessageTypes.FinancialRequest)
            {
                await connection.SendAsync(FakeIssuer.AnswerTo(request));
                return;
            }

            held.Enqueue((request, connection));
            if (held.Count == count)
            {
                foreach (var (message, on) in held.Reverse())
                {
                    await on.SendAsync(FakeIssuer.AnswerTo(message));
                }
            }
        };
        var options = LinkHarness.Options(issuer.Endpoint);
        options.Timeout = TimeSpan.FromSeconds(5);
        await using var link = await LinkHarness.StartAsync(options);

        var requests = Enumerable.Range(1, count).Select(i => link.Request(amount: i * 100, rrn: $"{i:D12}")).ToList();
        var replies = await Task.WhenAll(requests.Select(link.ExchangeAsync));

        for (var i = 0; i < count; i++)
        {
            Assert.Equal(UpstreamOutcome.Answered, replies[i].Outcome);
            Assert.Equal(requests[i].GetString(DataElements.Stan), replies[i].Answer!.GetString(DataElements.Stan));
            Assert.Equal(requests[i].GetString(DataElements.RetrievalReference), replies[i].Answer!.GetString(DataElements.RetrievalReference));
        }

        Assert.Single(issuer.Connections);
    }

    [Fact]
    public async Task An_answer_after_the_timeout_is_counted_late_and_never_delivered()
    {
        await using var issuer = new FakeIssuer();
        var late = new TaskCompletionSource<(IsoMessage, FakeIssuerConnection)>();
        issuer.Handler = (request, connection) =>
        {
            if (request.Mti == MessageTypes.FinancialRequest && !late.Task.IsCompleted)
            {
                late.SetResult((request, connection));
                return Task.CompletedTask;
            }

            return connection.SendAsync(FakeIssuer.AnswerTo(request));
        };
        var options = LinkHarness.Options(issuer.Endpoint);
        options.Timeout = TimeSpan.FromMilliseconds(200);
        await using var link = await LinkHarness.StartAsync(options);

        var timedOut = await link.ExchangeAsync(link.Request(rrn: "000000000001"));
        var (original, connection) = await late.Task;
        await connection.SendAsync(FakeIssuer.AnswerTo(original));
        await link.WaitUntilAsync(() => link.Status.LateAnswers == 1, "the late answer was counted");
        var next = await link.ExchangeAsync(link.Request(rrn: "000000000002"));

        Assert.Equal(UpstreamOutcome.TimedOut, timedOut.Outcome);
        Assert.Equal(TimedOutReason.Timeout, timedOut.TimedOutReason);
        Assert.True(timedOut.NeedsReversal);
        Assert.Equal(UpstreamOutcome.Answered, next.Outcome);
        Assert.Equal("000000000002", next.Answer!.GetString(DataElements.RetrievalReference));
        Assert.Equal(0, link.Status.UnmatchedAnswers);
        Assert.Equal(1, link.Counters.Count("socketatm.upstream.discarded/route=test-issuer/reason=late"));
        Assert.Equal(1, link.Counters.Count("socketatm.upstream.timeouts/route=test-issuer/reason=timeout"));
        Assert.Equal(1, issuer.SignOns); // A late answer does not cost the link.
    }

    [Fact]
    public async Task Beyond_the_in_flight_cap_a_request_is_not_sent_at_once()
    {
        await using var issuer = new FakeIssuer();
        var release = new TaskCompletionSource();
        var received = 0;
        issuer.Handler = async (request, connection) =>
        {
            if (request.Mti == MessageTypes.FinancialRequest)
            {
                Interlocked.Increment(ref received);
                await release.Task;
            }

            await connection.SendAsync(FakeIssuer.AnswerTo(request));
        };
        var options = LinkHarness.Options(issuer.Endpoint);
        options.MaxInFlight = 2;
        options.Timeout = TimeSpan.FromSeconds(5);
        await using var link = await LinkHarness.StartAsync(options);

        var first = link.ExchangeAsync(link.Request(rrn: "000000000001"));
        var second = link.ExchangeAsync(link.Request(rrn: "000000000002"));
        await link.WaitUntilAsync(() => link.Route.InFlight == 2, "two requests are in flight");
        var third = await link.ExchangeAsync(link.Request(rrn: "000000000003"));
        release.SetResult();

        Assert.Equal(UpstreamOutcome.NotSent, third.Outcome);
        Assert.Equal(NotSentReason.InFlightCap, third.NotSentReason);
        Assert.Equal(UpstreamOutcome.Answered, (await first).Outcome);
        Assert.Equal(UpstreamOutcome.Answered, (await second).Outcome);
        Assert.DoesNotContain(issuer.ReceivedOf(MessageTypes.FinancialRequest), m => m.GetString(DataElements.RetrievalReference) == "000000000003");
        Assert.Equal(1, link.Counters.Count("socketatm.upstream.not_sent/route=test-issuer/reason=in_flight_cap"));
    }

    [Fact]
    public async Task A_stopping_route_sends_nothing_more_and_signs_off()
    {
        await using var issuer = new FakeIssuer();
        var link = await LinkHarness.StartAsync(LinkHarness.Options(issuer.Endpoint));

        await link.Routes.StopAsync(CancellationToken.None);
        var reply = await link.ExchangeAsync(link.Request());

        Assert.Equal(NotSentReason.ShuttingDown, reply.NotSentReason);
        Assert.Single(issuer.ReceivedOf(MessageTypes.NetworkManagementRequest, NetworkManagementCodes.SignOff));
        await link.DisposeAsync();
    }

    [Fact]
    public async Task The_link_state_is_written_owner_only_for_admin_routes()
    {
        await using var issuer = new FakeIssuer();
        await using var link = await LinkHarness.StartAsync(LinkHarness.Options(issuer.Endpoint));

        await link.WaitUntilAsync(() => LinkStatusFile.TryRead(link.StatusFile) is { Routes: [{ SignedOn: 1 }] }, "the status file shows the connection signed on");

        var status = LinkStatusFile.TryRead(link.StatusFile)!;
        Assert.True(status.Running);
        Assert.Equal(issuer.Endpoint, status.Routes[0].Endpoints[0]);
        Assert.DoesNotContain(LinkHarness.ZonePinKey, File.ReadAllText(link.StatusFile), StringComparison.OrdinalIgnoreCase);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(link.StatusFile));
        }
    }
}
