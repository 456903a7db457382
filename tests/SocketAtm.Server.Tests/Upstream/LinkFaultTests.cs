using System.Net;
using System.Net.Sockets;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Server.Upstream;

namespace SocketAtm.Server.Tests.Upstream;

/// <summary>An issuer's bad input and a failing network: counted, never delivered to a request, and the link comes back.</summary>
public class LinkFaultTests
{
    [Fact]
    public async Task An_unmatched_answer_or_a_request_mti_is_counted_and_dropped_and_the_link_survives()
    {
        await using var issuer = new FakeIssuer();
        issuer.Handler = async (request, connection) =>
        {
            if (request.Mti == MessageTypes.FinancialRequest)
            {
                var stranger = FakeIssuer.AnswerTo(request);
                stranger.Set(DataElements.Stan, "999999");
                await connection.SendAsync(stranger);
                var wrongWay = FakeIssuer.AnswerTo(request);
                wrongWay.Mti = MessageTypes.FinancialRequest;
                await connection.SendAsync(wrongWay);
            }

            await connection.SendAsync(FakeIssuer.AnswerTo(request));
        };
        await using var link = await LinkHarness.StartAsync(LinkHarness.Options(issuer.Endpoint));

        var reply = await link.ExchangeAsync(link.Request());

        Assert.Equal(UpstreamOutcome.Answered, reply.Outcome);
        Assert.Equal(MessageTypes.FinancialResponse, reply.Answer!.Mti);
        await link.WaitUntilAsync(() => link.Status.UnmatchedAnswers == 2, "both strays were counted");
        Assert.Equal(1, link.Counters.Count("socketatm.upstream.discarded/route=test-issuer/reason=unmatched"));
        Assert.Equal(1, link.Counters.Count("socketatm.upstream.discarded/route=test-issuer/reason=request_mti"));
        Assert.Equal(1, issuer.SignOns);
        Assert.Equal(1, link.Status.SignedOn);
    }

    public static TheoryData<string> FramingErrors => ["oversize", "garbage"];

    [Theory]
    [MemberData(nameof(FramingErrors))]
    public async Task A_framing_error_drops_the_connection_ends_its_requests_and_reconnects(string fault)
    {
        await using var issuer = new FakeIssuer();
        issuer.Handler = (request, connection) => request.Mti == MessageTypes.FinancialRequest
            ? connection.SendRawAsync(fault == "oversize" ? [0xFF, 0xFF, 0x30] : [0x00, 0x04, (byte)'0', (byte)'2', (byte)'x', (byte)'0'])
            : connection.SendAsync(FakeIssuer.AnswerTo(request));
        var options = LinkHarness.Options(issuer.Endpoint);
        options.Timeout = TimeSpan.FromSeconds(5);
        await using var link = await LinkHarness.StartAsync(options);

        var reply = await link.ExchangeAsync(link.Request());
        await link.WaitUntilAsync(() => issuer.SignOns == 2 && link.Status.SignedOn == 1, "the link signed on again");

        Assert.Equal(UpstreamOutcome.TimedOut, reply.Outcome);
        Assert.Equal(TimedOutReason.ConnectionLost, reply.TimedOutReason);
        Assert.Equal(1, link.Status.FramingErrors);
        Assert.Equal(1, link.Counters.Count("socketatm.upstream.discarded/route=test-issuer/reason=" + (fault == "oversize" ? "frame_too_large" : "unparsable")));
        Assert.True(issuer.Connections.First().IsClosed || !IsOpen(issuer.Connections.First()));
    }

    [Fact]
    public async Task After_a_reset_the_connection_comes_back_after_a_backoff()
    {
        await using var issuer = new FakeIssuer();
        var options = LinkHarness.Options(issuer.Endpoint);
        options.ReconnectDelay = TimeSpan.FromMilliseconds(300);
        options.MaxReconnectDelay = TimeSpan.FromMilliseconds(300);
        await using var link = await LinkHarness.StartAsync(options);

        var resetAt = DateTimeOffset.UtcNow;
        issuer.Connections.First().Reset();
        await link.WaitUntilAsync(() => issuer.SignOns == 2 && link.Status.SignedOn == 1, "the link signed on again after the reset");
        var reply = await link.ExchangeAsync(link.Request());

        var reconnectedAt = issuer.Connections.Last().AcceptedAt;
        Assert.True(reconnectedAt - resetAt >= TimeSpan.FromMilliseconds(140), $"reconnected {(reconnectedAt - resetAt).TotalMilliseconds} ms after the reset");
        Assert.Equal(UpstreamOutcome.Answered, reply.Outcome);
        Assert.Equal(2, link.Counters.Count("socketatm.upstream.link.changes/route=test-issuer/state=up"));
        Assert.Equal(1, link.Counters.Count("socketatm.upstream.link.changes/route=test-issuer/state=down"));
    }

    [Fact]
    public async Task A_refused_first_endpoint_fails_over_to_the_second()
    {
        var closedPort = ClosedPort();
        await using var issuer = new FakeIssuer();
        await using var link = await LinkHarness.StartAsync(LinkHarness.Options("127.0.0.1:" + closedPort, issuer.Endpoint));

        var reply = await link.ExchangeAsync(link.Request());

        Assert.Equal(UpstreamOutcome.Answered, reply.Outcome);
        Assert.Equal(issuer.Endpoint, link.Status.Endpoints[0]);
    }

    [Fact]
    public async Task When_the_first_endpoint_dies_the_connection_moves_to_the_second()
    {
        await using var primary = new FakeIssuer();
        await using var secondary = new FakeIssuer();
        await using var link = await LinkHarness.StartAsync(LinkHarness.Options(primary.Endpoint, secondary.Endpoint));
        Assert.Equal(primary.Endpoint, link.Status.Endpoints[0]);

        primary.StopListening();
        primary.Connections.First().Reset();
        await link.WaitUntilAsync(() => link.Status.Endpoints[0] == secondary.Endpoint, "the connection signed on at the second endpoint");
        var reply = await link.ExchangeAsync(link.Request());

        Assert.Equal(UpstreamOutcome.Answered, reply.Outcome);
        Assert.Single(secondary.ReceivedOf(MessageTypes.FinancialRequest));
    }

    [Fact]
    public async Task An_idle_connection_sends_an_echo()
    {
        await using var issuer = new FakeIssuer();
        var options = LinkHarness.Options(issuer.Endpoint);
        options.EchoInterval = TimeSpan.FromMilliseconds(100);
        await using var link = await LinkHarness.StartAsync(options);

        await link.WaitUntilAsync(() => issuer.ReceivedOf(MessageTypes.NetworkManagementRequest, NetworkManagementCodes.Echo).Count() >= 2, "two echoes were sent");

        var echo = issuer.ReceivedOf(MessageTypes.NetworkManagementRequest, NetworkManagementCodes.Echo).First();
        Assert.Equal(LinkHarness.AcquirerId, echo.GetString(DataElements.AcquirerId));
        Assert.True(echo.Has(DataElements.TransmissionDateTime) && echo.Has(DataElements.Stan));
        Assert.Equal(1, issuer.SignOns); // Answered echoes keep the connection.
    }

    [Fact]
    public async Task An_unanswered_echo_drops_the_connection_and_it_signs_on_again()
    {
        await using var issuer = new FakeIssuer();
        issuer.Handler = (request, connection) =>
            request.TryGetNumber(DataElements.NetworkManagementCode, out var code) && code == NetworkManagementCodes.Echo
                ? Task.CompletedTask
                : connection.SendAsync(FakeIssuer.AnswerTo(request));
        var options = LinkHarness.Options(issuer.Endpoint);
        options.EchoInterval = TimeSpan.FromMilliseconds(100);
        options.Timeout = TimeSpan.FromMilliseconds(200);
        await using var link = await LinkHarness.StartAsync(options);

        await link.WaitUntilAsync(() => issuer.SignOns >= 2, "the connection was dropped and signed on again");

        Assert.True(issuer.Connections.First().IsClosed || !IsOpen(issuer.Connections.First()));
        Assert.True(link.Counters.Count("socketatm.upstream.link.changes/route=test-issuer/state=down") >= 1);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static bool IsOpen(FakeIssuerConnection connection)
    {
        try
        {
            var socket = connection.Stream.Socket;
            return !(socket.Poll(0, SelectMode.SelectRead) && socket.Available == 0);
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }
}
