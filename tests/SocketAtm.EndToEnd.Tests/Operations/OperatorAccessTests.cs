using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using SocketAtm.Server.Operations;
using SocketAtm.Testing;

namespace SocketAtm.EndToEnd.Tests.Operations;

/// <summary>
/// Who may read the guarded routes of the operations port, on a real host: the bearer token, the sign-in page's session
/// cookie, a client certificate from the configured authority over mutual TLS; 401 (or the sign-in page for a browser)
/// without; 429 for an address that failed too often; https with <c>Operations:Tls</c>.
/// </summary>
public sealed class OperatorAccessTests
{
    private const string Token = "an-operator-token-0123456789abcdef";

    [Fact]
    public async Task Without_a_credential_metrics_is_401_for_a_tool_and_the_sign_in_page_for_a_browser()
    {
        await using var host = await RunningHost.StartAsync(null, "--Operations:Token=" + Token);
        using var http = Client(host);

        var tool = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        using var page = new HttpRequestMessage(HttpMethod.Get, new Uri("/metrics?x=1", UriKind.Relative));
        page.Headers.Accept.ParseAdd("text/html,application/xhtml+xml");
        var browser = await http.SendAsync(page);
        var signIn = await http.GetAsync(new Uri("/sign-in?return=%2Fmetrics%3Fx%3D1", UriKind.Relative));
        var bearer = await SendAsync(http, HttpMethod.Get, "/metrics", authorization: "Bearer " + Token);

        Assert.Equal(HttpStatusCode.Unauthorized, tool.StatusCode);
        Assert.Equal("Bearer", tool.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, browser.StatusCode);
        Assert.Equal("Bearer", browser.Headers.WwwAuthenticate.Single().Scheme);
        var refusalForm = await browser.Content.ReadAsStringAsync();
        Assert.Contains("type=\"password\"", refusalForm, StringComparison.Ordinal);
        Assert.Contains("value=\"/metrics?x=1\"", refusalForm, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Equal("text/html", signIn.Content.Headers.ContentType!.MediaType);
        var form = await signIn.Content.ReadAsStringAsync();
        Assert.Contains("type=\"password\"", form, StringComparison.Ordinal);
        Assert.Contains("value=\"/metrics?x=1\"", form, StringComparison.Ordinal);
        Assert.DoesNotContain("src=", form, StringComparison.Ordinal); // self-contained: no script, image or stylesheet fetched
        Assert.Equal(HttpStatusCode.OK, bearer.StatusCode);
    }

    [Fact]
    public async Task Signing_in_with_the_token_sets_a_strict_http_only_cookie_that_admits_metrics_until_signed_out()
    {
        await using var host = await RunningHost.StartAsync(null, "--Operations:Token=" + Token);
        using var http = Client(host);

        var wrong = await SignInAsync(http, Token[..^1] + "X");
        var right = await SignInAsync(http, Token, "/metrics");
        var cookie = SessionCookie(right);
        var withCookie = await SendAsync(http, HttpMethod.Get, "/metrics", cookie: cookie);
        var signOut = await SendAsync(http, HttpMethod.Post, "/sign-out", cookie: cookie, origin: Origin(http));
        var afterSignOut = await SendAsync(http, HttpMethod.Get, "/metrics", cookie: cookie);

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.False(wrong.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.SeeOther, right.StatusCode);
        Assert.Equal("/metrics", right.Headers.Location!.OriginalString);
        var attributes = right.Headers.GetValues("Set-Cookie").Single().ToLowerInvariant();
        Assert.Contains("httponly", attributes, StringComparison.Ordinal);
        Assert.Contains("samesite=strict", attributes, StringComparison.Ordinal);
        Assert.Contains("path=/", attributes, StringComparison.Ordinal);
        Assert.Contains("max-age=28800", attributes, StringComparison.Ordinal);
        Assert.DoesNotContain("secure", attributes, StringComparison.Ordinal); // plain http on loopback
        Assert.Equal(HttpStatusCode.OK, withCookie.StatusCode);
        Assert.Contains("# TYPE", await withCookie.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterSignOut.StatusCode);
    }

    [Fact]
    public async Task A_sign_in_from_another_origin_or_over_the_body_limit_is_refused()
    {
        await using var host = await RunningHost.StartAsync(null, "--Operations:Token=" + Token);
        using var http = Client(host);

        var crossSite = await SignInAsync(http, Token, origin: "https://evil.example");
        var noOrigin = await SignInAsync(http, Token, origin: null);
        using var huge = new HttpRequestMessage(HttpMethod.Post, new Uri("/sign-in", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent([new("token", Token), new("padding", new string('x', 5000))]),
        };
        huge.Headers.Add("Origin", Origin(http));
        // The body is then sent only if asked for (and the client waits long enough for the answer): the 413 is read,
        // not lost to the reset of a connection closed with a body unread.
        huge.Headers.ExpectContinue = true;
        using var patient = Client(host, expectContinueTimeout: TimeSpan.FromSeconds(30));
        var tooLarge = await patient.SendAsync(huge);

        Assert.Equal(HttpStatusCode.Forbidden, crossSite.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, noOrigin.StatusCode);
        Assert.False(crossSite.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
    }

    [Fact]
    public async Task After_five_failed_credentials_the_address_gets_429_even_with_the_token_logged_once_and_counted()
    {
        var sink = new CapturingSink();
        await using var host = await RunningHost.StartWithServicesAsync(services => services.AddSingleton<ILogEventSink>(sink), "--Operations:Token=" + Token);
        using var http = Client(host);

        var failures = new List<HttpStatusCode>
        {
            (await SendAsync(http, HttpMethod.Get, "/metrics", authorization: "Bearer wrong-token-0000000000000000")).StatusCode,
            (await SendAsync(http, HttpMethod.Get, "/metrics", authorization: "Basic " + Token)).StatusCode,
            (await SendAsync(http, HttpMethod.Get, "/metrics", authorization: "Bearer wrong-token-9999999999999999")).StatusCode,
            (await SignInAsync(http, "wrong-token-1111111111111111")).StatusCode,
            (await SignInAsync(http, "wrong-token-2222222222222222")).StatusCode,
        };
        var good = await SendAsync(http, HttpMethod.Get, "/metrics", authorization: "Bearer " + Token);
        var signIn = await SignInAsync(http, Token);
        var probe = await http.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.All(failures, status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, good.StatusCode);
        Assert.InRange(int.Parse(good.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Equal(HttpStatusCode.TooManyRequests, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, probe.StatusCode); // the probes are not guarded
        var refused = Assert.Single(sink.Lines, line => line.StartsWith("Operator credentials from", StringComparison.Ordinal));
        Assert.Contains("127.0.0.1", refused, StringComparison.Ordinal);
        Assert.Contains("5 failed within 00:01:00", refused, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-token", sink.Everything, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, sink.Everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Others_wrong_tokens_from_the_operators_address_do_not_lock_out_a_signed_in_session_and_stale_cookies_are_no_guesses()
    {
        await using var host = await RunningHost.StartAsync(null, "--Operations:Token=" + Token);
        using var http = Client(host);
        var session = SessionCookie(await SignInAsync(http, Token));

        for (var attempt = 0; attempt < 10; attempt++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(http, HttpMethod.Get, "/metrics", cookie: "socketatm_operator=stale-after-a-restart")).StatusCode);
        }

        var bearerAfterStaleCookies = await SendAsync(http, HttpMethod.Get, "/metrics", authorization: "Bearer " + Token);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await SendAsync(http, HttpMethod.Get, "/metrics", authorization: "Bearer wrong-token-0000000000000000");
        }

        var bearerAfterGuesses = await SendAsync(http, HttpMethod.Get, "/metrics", authorization: "Bearer " + Token);
        var sessionAfterGuesses = await SendAsync(http, HttpMethod.Get, "/metrics", cookie: session);

        Assert.Equal(HttpStatusCode.OK, bearerAfterStaleCookies.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, bearerAfterGuesses.StatusCode);
        Assert.Equal(HttpStatusCode.OK, sessionAfterGuesses.StatusCode);
    }

    [Fact]
    public async Task Signing_in_again_ends_the_session_the_browser_held_before()
    {
        await using var host = await RunningHost.StartAsync(null, "--Operations:Token=" + Token);
        using var http = Client(host);
        var first = SessionCookie(await SignInAsync(http, Token));

        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/sign-in", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent([new("token", Token), new("return", "/console/")]),
        };
        request.Headers.Add("Origin", Origin(http));
        request.Headers.Add("Cookie", first);
        var second = SessionCookie(await http.SendAsync(request));

        Assert.NotEqual(first, second);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(http, HttpMethod.Get, "/metrics", cookie: first)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(http, HttpMethod.Get, "/metrics", cookie: second)).StatusCode);
    }

    [Fact]
    public async Task Without_a_credential_configured_only_requests_naming_this_machine_are_served()
    {
        await using var host = await RunningHost.StartAsync();
        using var http = Client(host);
        using var rebound = new HttpRequestMessage(HttpMethod.Get, new Uri("/metrics", UriKind.Relative));
        rebound.Headers.Host = "attacker.example:" + http.BaseAddress!.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var local = new HttpRequestMessage(HttpMethod.Get, new Uri("/metrics", UriKind.Relative));
        local.Headers.Host = "localhost:" + http.BaseAddress!.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(rebound)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(local)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Refused_credentials_are_counted_by_reason_on_the_socketatm_meter()
    {
        await using var host = await RunningHost.StartAsync(null, "--Operations:Token=" + Token, "--Operations:MaxFailedAttempts=100");
        using var http = Client(host);

        await SendAsync(http, HttpMethod.Get, "/metrics", authorization: "Bearer wrong-token-0000000000000000");
        await SignInAsync(http, "wrong-token-1111111111111111");
        await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        var scrape = await SendAsync(http, HttpMethod.Get, "/metrics", authorization: "Bearer " + Token);

        var failures = PrometheusText.Parse(await scrape.Content.ReadAsStringAsync()).Named("socketatm_operations_auth_failures_total");
        Assert.Contains(failures, sample => sample.Labels.GetValueOrDefault("reason") == "bearer" && sample.Value == 1);
        Assert.Contains(failures, sample => sample.Labels.GetValueOrDefault("reason") == "sign_in" && sample.Value == 1);
        Assert.Contains(failures, sample => sample.Labels.GetValueOrDefault("reason") == "missing_credential" && sample.Value == 1);
    }

    [Fact]
    public async Task With_a_certificate_the_port_serves_https_says_so_at_start_and_marks_the_cookie_secure()
    {
        using var certificates = TlsTestCertificates.Create();
        var sink = new CapturingSink();
        await using var host = await RunningHost.StartWithServicesAsync(
            services => services.AddSingleton<ILogEventSink>(sink),
            "--Serilog:MinimumLevel:Override:SocketAtm.Server.Operations=Information",
            "--Operations:Token=" + Token,
            "--Operations:Tls:CertificatePath=" + certificates.ServerPfxPath,
            "--Operations:Tls:Password=" + TlsTestCertificates.PfxPassword);
        using var http = Client(host, certificates);

        var bound = host.Services.GetRequiredService<OperationsServer>().BoundAddress!;
        var metrics = await SendAsync(http, HttpMethod.Get, "/metrics", authorization: "Bearer " + Token);
        var signIn = await SignInAsync(http, Token);

        Assert.Equal("https", bound.Scheme);
        Assert.Contains(sink.Lines, line => line.Replace("\"", "", StringComparison.Ordinal).StartsWith($"Operations on https://127.0.0.1:{bound.Port} ", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("secure", signIn.Headers.GetValues("Set-Cookie").Single(), StringComparison.OrdinalIgnoreCase);
        using var plain = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{bound.Port}"), Timeout = TimeSpan.FromSeconds(10) };
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => plain.GetAsync(new Uri("/healthz", UriKind.Relative)));
    }

    [Fact]
    public async Task Over_mutual_tls_a_client_certificate_of_the_configured_authority_admits_metrics_one_of_another_does_not()
    {
        using var certificates = TlsTestCertificates.Create();
        using var otherAuthority = TlsTestCertificates.Create();
        using var operatorCertificate = certificates.IssueClient("operator-1");
        using var foreignCertificate = otherAuthority.IssueClient("operator-1");
        using var selfSigned = TlsTestCertificates.SelfSignedClient("operator-1");
        await using var host = await RunningHost.StartAsync(
            null,
            "--Operations:Token=" + Token,
            "--Operations:Tls:CertificatePath=" + certificates.ServerPemPath,
            "--Operations:Tls:KeyPath=" + certificates.ServerKeyPath,
            "--Operations:Tls:ClientCertificateAuthorityPath=" + certificates.AuthorityPemPath);

        var statuses = new List<HttpStatusCode>();
        foreach (var certificate in new[] { operatorCertificate, foreignCertificate, selfSigned, null })
        {
            using var http = Client(host, certificates, certificate);
            statuses.Add((await http.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);
        }

        using var withToken = Client(host, certificates);
        var bearer = await SendAsync(withToken, HttpMethod.Get, "/metrics", authorization: "Bearer " + Token);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized], statuses);
        Assert.Equal(HttpStatusCode.OK, bearer.StatusCode); // no client certificate needed with the token
    }

    [Fact]
    public async Task Plaintext_off_loopback_allowed_is_warned_about_at_start()
    {
        var sink = new CapturingSink();
        await using var host = await RunningHost.StartWithServicesAsync(
            services => services.AddSingleton<ILogEventSink>(sink), "--Operations:Address=0.0.0.0", "--Operations:Token=" + Token, "--Operations:AllowPlaintext=true");

        Assert.Contains(sink.Lines, line => line.StartsWith("Operations:AllowPlaintext is true: the operations port on \"0.0.0.0\" is served WITHOUT TLS", StringComparison.Ordinal));
    }

    private static HttpClient Client(RunningHost host, TlsTestCertificates? trust = null, X509Certificate2? clientCertificate = null, TimeSpan? expectContinueTimeout = null)
    {
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, Expect100ContinueTimeout = expectContinueTimeout ?? TimeSpan.FromSeconds(1) };
        if (trust is not null)
        {
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.Add(trust.Authority);
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                CertificateChainPolicy = policy,
                RemoteCertificateValidationCallback = static (_, _, _, errors) => errors == SslPolicyErrors.None,
            };
            if (clientCertificate is not null)
            {
                handler.SslOptions.ClientCertificates = [clientCertificate];
                handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate;
            }
        }

        return new HttpClient(handler) { BaseAddress = host.Services.GetRequiredService<OperationsServer>().BoundAddress, Timeout = TimeSpan.FromSeconds(10) };
    }

    private static string Origin(HttpClient http) => http.BaseAddress!.GetLeftPart(UriPartial.Authority);

    private static Task<HttpResponseMessage> SignInAsync(HttpClient http, string token, string returnPath = "/console", string? origin = "")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/sign-in", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent([new("token", token), new("return", returnPath)]),
        };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin.Length == 0 ? Origin(http) : origin);
        }

        return http.SendAsync(request);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string? authorization = null, string? cookie = null, string? origin = null)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (authorization is not null)
        {
            request.Headers.Authorization = AuthenticationHeaderValue.Parse(authorization);
        }

        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return http.SendAsync(request);
    }

    /// <summary>The <c>name=value</c> of the session cookie a response set.</summary>
    private static string SessionCookie(HttpResponseMessage response) =>
        response.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
}
