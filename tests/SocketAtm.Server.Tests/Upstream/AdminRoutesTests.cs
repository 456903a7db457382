using SocketAtm.Protocol.Security;
using SocketAtm.Server.Admin;
using SocketAtm.Server.Routing;
using SocketAtm.Server.Upstream;

namespace SocketAtm.Server.Tests.Upstream;

/// <summary><c>admin routes</c>: routes and the link state the running host recorded, never key material.</summary>
public class AdminRoutesTests
{
    private const string ZoneMacKey = "8899AABBCCDDEEFF0011223344556677";

    [Fact]
    public async Task It_lists_the_routes_and_the_link_state_the_host_recorded_without_keys()
    {
        await using var issuer = new FakeIssuer();
        var options = LinkHarness.Options(issuer.Endpoint);
        options.ZoneMacKey = ZoneMacKey;
        await using var link = await LinkHarness.StartAsync(options);
        await link.ExchangeAsync(link.Request());
        await link.WaitUntilAsync(() => LinkStatusFile.TryRead(link.StatusFile) is { Routes: [{ SignedOn: 1 }] }, "the status file shows the link");

        var text = RoutesCommand.Describe(new RoutingOptions { Routes = [options] }, LinkStatusFile.TryRead(link.StatusFile));

        Assert.Contains("test-issuer", text, StringComparison.Ordinal);
        Assert.Contains("541333", text, StringComparison.Ordinal);
        Assert.Contains(issuer.Endpoint, text, StringComparison.Ordinal);
        Assert.Contains("acquirer id  " + LinkHarness.AcquirerId, text, StringComparison.Ordinal);
        Assert.Contains("KCV " + KeyCheckValue.ToHex(Convert.FromHexString(LinkHarness.ZonePinKey)), text, StringComparison.Ordinal);
        Assert.Contains("KCV " + KeyCheckValue.ToHex(Convert.FromHexString(ZoneMacKey)), text, StringComparison.Ordinal);
        Assert.Contains("1 of 1 signed on", text, StringComparison.Ordinal);
        Assert.Contains("running host", text, StringComparison.Ordinal);
        Assert.Contains("breaker      opens after 5 financial requests timed out in a row within 00:00:30, for 00:00:15", text, StringComparison.Ordinal);
        Assert.Contains("breaker now  closed, opened 0 times", text, StringComparison.Ordinal);
        Assert.DoesNotContain(LinkHarness.ZonePinKey, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(ZoneMacKey, text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void An_open_breaker_is_shown_with_what_it_means_to_the_terminals()
    {
        var options = LinkHarness.Options("127.0.0.1:8584");
        var link = new RouteLinkStatus
        {
            Route = options.Name!, Connections = 1, ConnectionsUp = 1, SignedOn = 1, Endpoints = ["127.0.0.1:8584"], LastChange = DateTimeOffset.UnixEpoch,
            Requests = 5, Answered = 0, TimedOut = 5, NotSent = 3, Untrusted = 0, LateAnswers = 0, UnmatchedAnswers = 0, FramingErrors = 0, LinkChanges = 1,
            Breaker = BreakerState.Open, BreakerOpens = 2,
        };

        var text = RoutesCommand.Describe(new RoutingOptions { Routes = [options] }, new LinkStatusSnapshot(DateTimeOffset.UnixEpoch, true, 1, [link]));

        Assert.Contains("breaker now  open (financial requests are not sent: the terminals get 91), opened 2 times", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_loopback_with_no_route_configured_it_shows_the_demo_route()
    {
        var data = Path.Combine(Path.GetTempPath(), "socketatm-routes-" + Guid.NewGuid().ToString("N"));
        using var output = new StringWriter();

        var code = await AdminCommandLine.RunAsync(["routes", "--data", data], new AdminConsole(output, TextWriter.Null, SecretInput.From(TextReader.Null)));

        Assert.Equal(0, code);
        Assert.Contains("demo-issuer (demo, loopback only)", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("none recorded", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("1F2E3D4C5B6A79880918273645546372", output.ToString(), StringComparison.Ordinal);
    }
}
