using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SocketAtm.Server.Operations;

namespace SocketAtm.EndToEnd.Tests.Operations;

/// <summary>The console's HTTP contract on a real host: its files and headers, the live feed's events, its viewer cap, its end at sign-out.</summary>
public sealed class ConsoleEndpointTests
{
    private const string Token = "a-console-operator-token-0123456789";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task The_page_and_the_chart_library_come_from_the_host_itself_under_a_strict_content_policy()
    {
        await using var host = await RunningHost.StartAsync(null, "--Operations:Token=" + Token);
        using var http = Client(host);

        var page = await SendAsync(http, HttpMethod.Get, "/console/");
        var library = await SendAsync(http, HttpMethod.Get, "/console/vendor/uPlot.iife.min.js");
        var bare = await SendAsync(http, HttpMethod.Get, "/console");
        var missing = await SendAsync(http, HttpMethod.Get, "/console/../appsettings.json");
        var post = await SendAsync(http, HttpMethod.Post, "/console/");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<script src=\"vendor/uPlot.iife.min.js\"></script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal((HttpStatusCode.OK, "text/javascript"), (library.StatusCode, library.Content.Headers.ContentType!.MediaType));
        Assert.StartsWith("/*! https://github.com/leeoniya/uPlot", await library.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.PermanentRedirect, "/console/"), (bare.StatusCode, bare.Headers.Location!.OriginalString));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
    }

    [Fact]
    public async Task The_live_feed_starts_with_history_then_a_frame_a_second_listing_the_signed_on_terminal()
    {
        await using var host = await RunningHost.StartAsync(null, "--Operations:Token=" + Token);
        await using var atm = await TestTerminal.ConnectAsync(host.EndPoint);
        Assert.Equal("00", (await atm.ExchangeAsync(atm.Withdrawal(4000, TestTerminal.NextStan()))).GetString(39));
        using var http = Client(host);

        using var feed = await OpenFeedAsync(http, "Bearer " + Token);
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        Assert.Equal("text/event-stream", feed.Content.Headers.ContentType!.MediaType);
        using var events = new ServerSentEvents(await feed.Content.ReadAsStreamAsync());

        var history = await events.NextAsync(Patience);
        Assert.Equal("history", history.Name);
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(history.Data).RootElement.ValueKind);
        var frame = await events.NextAsync(Patience);
        Assert.Equal("frame", frame.Name);
        using var json = JsonDocument.Parse(frame.Data);
        var terminals = json.RootElement.GetProperty("terminals");
        Assert.Equal(1, terminals.GetProperty("signed_on").GetInt32());
        var listed = Assert.Single(terminals.GetProperty("list").EnumerateArray());
        Assert.Equal(("ATM00009", "signed on"), (listed.GetProperty("id").GetString(), listed.GetProperty("state").GetString()));
        Assert.True(json.RootElement.GetProperty("point").TryGetProperty("tps", out _));
        Assert.DoesNotContain(TestTerminal.DemoPan, frame.Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Viewers_beyond_MaxViewers_are_turned_away_with_503_and_a_stranger_gets_401()
    {
        await using var host = await RunningHost.StartAsync(null, "--Operations:Token=" + Token, "--Operations:Console:MaxViewers=1");
        using var http = Client(host);

        using var first = await OpenFeedAsync(http, "Bearer " + Token);
        using var second = await OpenFeedAsync(http, "Bearer " + Token);
        using var stranger = await OpenFeedAsync(http, authorization: null);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.NotNull(second.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.Unauthorized, stranger.StatusCode);
    }

    [Fact]
    public async Task Connections_beyond_Operations_MaxConnections_are_closed_at_accept()
    {
        await using var host = await RunningHost.StartAsync(null, "--Operations:MaxConnections=2");
        using var first = Client(host);
        using var second = Client(host);
        using var third = Client(host);
        using var firstFeed = await OpenFeedAsync(first, authorization: null);
        using var secondFeed = await OpenFeedAsync(second, authorization: null);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (firstFeed.StatusCode, secondFeed.StatusCode));

        using var timeout = new CancellationTokenSource(Patience);
        await Assert.ThrowsAsync<HttpRequestException>(() => third.GetAsync(new Uri("/healthz", UriKind.Relative), timeout.Token));
    }

    [Fact]
    public async Task A_connection_that_never_finishes_its_headers_or_sits_idle_is_closed_and_frees_its_place()
    {
        await using var host = await RunningHost.StartAsync(null, "--Operations:MaxConnections=1", "--Operations:RequestHeadersTimeout=00:00:01", "--Operations:KeepAliveTimeout=00:00:01");
        var bound = host.Services.GetRequiredService<OperationsServer>().BoundAddress!;
        using var slow = new System.Net.Sockets.TcpClient();
        await slow.ConnectAsync(bound.Host, bound.Port);
        var stream = slow.GetStream();
        await stream.WriteAsync("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"u8.ToArray());

        // Kestrel checks its timeouts once a second: the half-sent request is closed within a few.
        var buffer = new byte[256];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.Equal(0, await ReadUntilClosedAsync(stream, buffer, deadline.Token));

        using var http = Client(host);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
    }

    private static async Task<int> ReadUntilClosedAsync(System.Net.Sockets.NetworkStream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                // A 408 or similar before the close is fine; only the close matters.
            }

            return read;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    [Fact]
    public async Task Signing_out_ends_a_live_feed_already_open()
    {
        await using var host = await RunningHost.StartAsync(null, "--Operations:Token=" + Token);
        using var http = Client(host);
        var origin = http.BaseAddress!.GetLeftPart(UriPartial.Authority);
        using var signIn = new HttpRequestMessage(HttpMethod.Post, new Uri("/sign-in", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent([new("token", Token), new("return", "/console/")]),
        };
        signIn.Headers.Add("Origin", origin);
        var signedIn = await http.SendAsync(signIn);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single().Split(';')[0];

        using var feed = await OpenFeedAsync(http, authorization: null, cookie);
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        using var events = new ServerSentEvents(await feed.Content.ReadAsStreamAsync());
        Assert.Equal("history", (await events.NextAsync(Patience)).Name);

        using var signOut = new HttpRequestMessage(HttpMethod.Post, new Uri("/sign-out", UriKind.Relative)) { Content = new FormUrlEncodedContent([]) };
        signOut.Headers.Add("Cookie", cookie);
        signOut.Headers.Add("Origin", origin);
        Assert.True((await http.SendAsync(signOut)).StatusCode is HttpStatusCode.SeeOther or HttpStatusCode.OK or HttpStatusCode.NoContent);

        Assert.True(await events.EndsWithinAsync(TimeSpan.FromSeconds(5)), "the feed still streams after sign-out");
    }

    [Fact]
    public async Task With_the_console_disabled_there_is_no_console_and_metrics_stay()
    {
        await using var host = await RunningHost.StartAsync(null, "--Operations:Console:Enabled=false");
        using var http = Client(host);

        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(http, HttpMethod.Get, "/console/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(http, HttpMethod.Get, "/metrics")).StatusCode);
    }

    private static HttpClient Client(RunningHost host) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = host.Services.GetRequiredService<OperationsServer>().BoundAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        };

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return http.SendAsync(request);
    }

    private static Task<HttpResponseMessage> OpenFeedAsync(HttpClient http, string? authorization, string? cookie = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/console/events", UriKind.Relative));
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (authorization is not null)
        {
            request.Headers.Authorization = AuthenticationHeaderValue.Parse(authorization);
        }

        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        return http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }
}
