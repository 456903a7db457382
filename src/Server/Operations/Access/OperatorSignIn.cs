using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace SocketAtm.Server.Operations.Access;

/// <summary>
/// The sign-in routes: <c>GET /sign-in</c> the form (<see cref="SignInPage"/>), <c>POST /sign-in</c> the operator token
/// (form-urlencoded, at most <see cref="MaxFormBytes"/>) which, right, starts a session (<see cref="OperatorSessions"/>) and
/// sets its cookie, and <c>POST /sign-out</c> which ends it. Both POSTs are refused (403) unless their Origin (or, without
/// one, their Referer) is this very origin: with the cookie's SameSite=Strict, no other site can sign an operator in or out.
/// A wrong token counts against the address like a wrong bearer; an address over the limit is answered 429.
/// </summary>
internal sealed class OperatorSignIn(OperatorAccess access)
{
    public const string SignInPath = "/sign-in";
    public const string SignOutPath = "/sign-out";

    /// <summary>Where a sign-in returns to when the form names no page: the console.</summary>
    public const string DefaultReturnPath = "/console";

    public const string TokenField = "token";
    public const string ReturnField = "return";

    /// <summary>The largest sign-in body taken (the rest of the port takes none): a token and a path, with room to spare.</summary>
    public const int MaxFormBytes = 4096;

    private const int MaxReturnPathLength = 512;


    public async Task SignInAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
        {
            await SignInPage.WriteAsync(context, StatusCodes.Status200OK, LocalPath(context.Request.Query[ReturnField]), problem: null);
            return;
        }

        if (!HttpMethods.IsPost(context.Request.Method))
        {
            NotAllowed(context, "GET, HEAD, POST");
            return;
        }

        AllowFormBody(context);
        if (RefusedAsCrossOrigin(context) || access.RefusedForFailures(context))
        {
            return;
        }

        var form = await ReadFormAsync(context);
        if (form is null)
        {
            return;
        }

        var returnPath = LocalPath(form[ReturnField]);
        if (!access.IsRequired)
        {
            context.Response.StatusCode = StatusCodes.Status303SeeOther;
            context.Response.Headers.Location = returnPath;
            return;
        }

        if (!access.Token.Matches(form[TokenField].ToString()))
        {
            access.CountFailure(context, OperatorAccessMetrics.WrongSignIn);
            await SignInPage.WriteAsync(context, StatusCodes.Status401Unauthorized, returnPath, "That is not the operator token.");
            return;
        }

        // A sign-in replaces the session the browser held, if any: one browser, one session, and a cookie someone planted
        // or copied before this sign-in is worth nothing after it.
        if (context.Request.Cookies.TryGetValue(OperatorAccess.CookieName, out var earlier))
        {
            access.Sessions.End(earlier);
        }

        var cookie = OperatorAccess.CookieOptionsFor(context.Request);
        cookie.MaxAge = access.Sessions.Lifetime;
        context.Response.Cookies.Append(OperatorAccess.CookieName, access.Sessions.Start(), cookie);
        context.Response.Headers[HeaderNames.CacheControl] = "no-store";
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.Response.Headers.Location = returnPath;
    }

    public Task SignOutAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            NotAllowed(context, "POST");
            return Task.CompletedTask;
        }

        AllowFormBody(context);
        if (RefusedAsCrossOrigin(context))
        {
            return Task.CompletedTask;
        }

        if (context.Request.Cookies.TryGetValue(OperatorAccess.CookieName, out var session))
        {
            access.Sessions.End(session);
        }

        context.Response.Cookies.Delete(OperatorAccess.CookieName, OperatorAccess.CookieOptionsFor(context.Request));
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.Response.Headers.Location = SignInPath;
        return Task.CompletedTask;
    }

    /// <summary><paramref name="candidate"/> when it is a path of this site (no scheme, no other host), else <see cref="DefaultReturnPath"/>: no open redirect.</summary>
    public static string LocalPath(StringValues candidate)
    {
        var path = candidate.ToString();
        var local = path.Length is > 0 and <= MaxReturnPathLength
            && path[0] == '/'
            && (path.Length == 1 || (path[1] != '/' && path[1] != '\\'))
            && !path.Any(char.IsControl)
            && !path.StartsWith(SignInPath, StringComparison.OrdinalIgnoreCase);
        return local ? path : DefaultReturnPath;
    }

    /// <summary>True when the request's Origin (or, lacking one, Referer) is this scheme and host.</summary>
    public static bool IsSameOrigin(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var expected = request.Scheme + "://" + request.Host.Value;
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0)
        {
            return string.Equals(origin, expected, StringComparison.OrdinalIgnoreCase);
        }

        return Uri.TryCreate(request.Headers.Referer.ToString(), UriKind.Absolute, out var referer)
            && string.Equals(referer.GetLeftPart(UriPartial.Authority), new Uri(expected).GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);
    }

    private bool RefusedAsCrossOrigin(HttpContext context)
    {
        if (IsSameOrigin(context.Request))
        {
            return false;
        }

        access.CountRefusal(OperatorAccessMetrics.CrossOrigin);
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return true;
    }

    /// <summary>The form, read under <see cref="MaxFormBytes"/>; null when refused (already answered 413 or 415).</summary>
    private static async Task<IFormCollection?> ReadFormAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType || context.Request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) != true)
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return null;
        }

        if (context.Request.ContentLength > MaxFormBytes)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return null;
        }

        try
        {
            var options = new FormOptions { ValueCountLimit = 8, KeyLengthLimit = 64, ValueLengthLimit = MaxFormBytes, BufferBody = false };
            return await new FormFeature(context.Request, options).ReadFormAsync(context.RequestAborted);
        }
        catch (Exception exception) when (exception is BadHttpRequestException or InvalidDataException)
        {
            context.Response.StatusCode = exception is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
                ? StatusCodes.Status413PayloadTooLarge
                : StatusCodes.Status400BadRequest;
            return null;
        }
    }

    /// <summary>
    /// Kestrel takes no body on this port (MaxRequestBodySize 0); these POSTs alone take up to <see cref="MaxFormBytes"/>,
    /// raised before any answer: a body left unread (a refused POST) is then drained and the connection kept, rather
    /// than reset under the answer, which the client could then lose.
    /// </summary>
    private static void AllowFormBody(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = MaxFormBytes;
        }
    }

    private static void NotAllowed(HttpContext context, string allow)
    {
        context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
        context.Response.Headers.Allow = allow;
    }
}
