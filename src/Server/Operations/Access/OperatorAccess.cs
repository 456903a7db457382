using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

using SocketAtm.Server.Transport;

namespace SocketAtm.Server.Operations.Access;

/// <summary>
/// Who may use the guarded routes of the operations port (<c>/metrics</c>, the console): a request passes with any one
/// operator credential — <c>Authorization: Bearer &lt;Operations:Token&gt;</c>, the session cookie of the sign-in page
/// (<see cref="OperatorSignIn"/>), or over mutual TLS a client certificate from <c>Operations:Tls:ClientCertificateAuthorityPath</c>.
/// Without one every request is answered 401; a browser asking for a page (a GET or HEAD whose Accept names text/html)
/// gets the sign-in form as that 401's body, which returns it to the page it asked for. A wrong token or a cookie that is no session counts against the remote address
/// (<see cref="FailedAttemptLimit"/>); an address over the limit is answered 429 with Retry-After, whatever it presents.
/// With no credential configured (loopback only, the validator sees to it) every request passes.
/// </summary>
internal sealed class OperatorAccess
{
    /// <summary>The session cookie: HttpOnly, SameSite=Strict, Path=/, Secure over https.</summary>
    public const string CookieName = "socketatm_operator";

    private readonly ClientCertificateCredential? _certificates;
    private readonly OperatorAccessMetrics _metrics;
    private readonly ILogger _logger;

    public OperatorAccess(
        OperatorToken token, X509Certificate2Collection? clientAuthorities, OperatorSessions sessions, FailedAttemptLimit failures, OperatorAccessMetrics metrics, ILogger logger)
    {
        Token = token;
        _certificates = clientAuthorities is null ? null : new ClientCertificateCredential(clientAuthorities);
        Sessions = sessions;
        Failures = failures;
        _metrics = metrics;
        _logger = logger;
    }

    public OperatorToken Token { get; }

    public OperatorSessions Sessions { get; }

    public FailedAttemptLimit Failures { get; }

    /// <summary>False when no credential is configured: everything is admitted (loopback only).</summary>
    public bool IsRequired => Token.IsRequired || _certificates is not null;

    /// <summary>
    /// Middleware: the next step runs only for a request with an operator credential. Wrap every route that is not for
    /// load balancers with it (<c>branch.Use(access.Guard)</c>).
    /// </summary>
    public RequestDelegate Guard(RequestDelegate next) => context =>
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!IsRequired)
        {
            // Open only to this machine; a page elsewhere whose name was rebound to 127.0.0.1 must not read it either.
            if (LoopbackAddress.Is(context.Request.Host.Host.Trim('[', ']')))
            {
                return next(context);
            }

            _metrics.Refused(OperatorAccessMetrics.ForeignHost);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        }

        // A session or a client certificate cannot be guessed: it is admitted before the failure limit, so that others'
        // wrong tokens from the same address (a NAT, an IPv6 /64) never lock a signed-in operator out.
        if (HoldsSessionOrCertificate(context))
        {
            return next(context);
        }

        if (RefusedForFailures(context))
        {
            return Task.CompletedTask;
        }

        var failure = Check(context);
        if (failure is null)
        {
            return next(context);
        }

        if (failure == OperatorAccessMetrics.WrongBearer)
        {
            // Only a guess at the token counts against the address; a stale cookie (an expiry, a restart) is no guess.
            CountFailure(context, failure);
        }
        else
        {
            _metrics.Refused(failure);
        }

        context.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
        if (WantsPage(context.Request))
        {
            // Refused all the same (401), but with the form to sign in, not a browser's error page.
            return SignInPage.WriteAsync(
                context, StatusCodes.Status401Unauthorized, OperatorSignIn.LocalPath(context.Request.GetEncodedPathAndQuery()), problem: null);
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Task.CompletedTask;
    };

    /// <summary>
    /// Answers 429 (Retry-After in whole seconds) when the request's address failed too often in this window; true
    /// then. Call before looking at any credential.
    /// </summary>
    public bool RefusedForFailures(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!Failures.IsRefused(context.Connection.RemoteIpAddress, out var retryAfter))
        {
            return false;
        }

        _metrics.Refused(OperatorAccessMetrics.RateLimited);
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>Counts a failed credential against the request's address, and logs the failure that makes it refused, once a window.</summary>
    public void CountFailure(HttpContext context, string reason)
    {
        ArgumentNullException.ThrowIfNull(context);
        _metrics.Refused(reason);
        var failure = Failures.Record(context.Connection.RemoteIpAddress);
        if (failure.NowRefused)
        {
            OperatorAccessLog.AddressRefused(_logger, failure.CountedAs, failure.Failures, Failures.Window);
        }
    }

    /// <summary>Counts a refusal that is not a failed credential (a missing one, a cross-origin POST).</summary>
    public void CountRefusal(string reason) => _metrics.Refused(reason);

    /// <summary>
    /// Whether a request admitted earlier still holds a good credential: a long-lived response (the console's live feed)
    /// asks again as it goes, so that signing out or a session's expiry ends it. Changes nothing, counts nothing.
    /// </summary>
    public bool StillAdmits(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return !IsRequired
            || HoldsSessionOrCertificate(context)
            || (OperatorToken.BearerOf(context.Request) is { } bearer && Token.Matches(bearer));
    }

    private bool HoldsSessionOrCertificate(HttpContext context) =>
        (_certificates is not null && _certificates.Admits(context))
        || (context.Request.Cookies.TryGetValue(CookieName, out var session) && Sessions.IsValid(session));

    /// <summary>Null when the request carries a good credential, else the metric reason it fails for.</summary>
    /// <remarks>Called after <see cref="HoldsSessionOrCertificate"/> said no: a certificate is not asked about again.</remarks>
    private string? Check(HttpContext context)
    {
        string? failure = null;
        if (OperatorToken.BearerOf(context.Request) is { } bearer)
        {
            if (Token.Matches(bearer))
            {
                return null;
            }

            failure = OperatorAccessMetrics.WrongBearer;
        }

        if (context.Request.Cookies.TryGetValue(CookieName, out var session))
        {
            if (Sessions.IsValid(session))
            {
                return null;
            }

            // Tell the browser to drop it, so that one stale cookie (a restart, an expiry) counts once, not on every request.
            context.Response.Cookies.Delete(CookieName, CookieOptionsFor(context.Request));
            failure ??= OperatorAccessMetrics.BadCookie;
        }

        return failure ?? OperatorAccessMetrics.MissingCredential;
    }

    /// <summary>The session cookie's attributes; Secure whenever the request came over https.</summary>
    public static CookieOptions CookieOptionsFor(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new CookieOptions { HttpOnly = true, SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict, Path = "/", Secure = request.IsHttps, IsEssential = true };
    }

    private static bool WantsPage(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
}
