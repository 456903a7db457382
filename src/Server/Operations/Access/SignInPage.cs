using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace SocketAtm.Server.Operations.Access;

/// <summary>
/// The sign-in form, self-contained (no script, no external asset): one password field for the operator token, posted
/// to <c>/sign-in</c> with the page to return to. Sent with a policy that lets it load nothing and be framed by nobody.
/// </summary>
internal static class SignInPage
{
    public const string ContentType = "text/html; charset=utf-8";

    private const string SecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static Task WriteAsync(HttpContext context, int status, string returnPath, string? problem)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = ContentType;
        response.Headers[HeaderNames.ContentSecurityPolicy] = SecurityPolicy;
        response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        response.Headers[HeaderNames.CacheControl] = "no-store";
        response.Headers["Referrer-Policy"] = "same-origin";
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return Task.CompletedTask;
        }

        var problemLine = problem is null ? string.Empty : $"""<p class="problem" role="alert">{WebUtility.HtmlEncode(problem)}</p>""";
        var html = $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>SocketAtm operations: sign in</title>
            <style>
            body { font-family: system-ui, sans-serif; background: #f4f5f7; margin: 0; }
            main { max-width: 22rem; margin: 12vh auto; background: #fff; padding: 2rem; border-radius: .5rem; box-shadow: 0 1px 4px #0002; }
            h1 { font-size: 1.25rem; margin-top: 0; }
            label { display: block; margin-bottom: .25rem; }
            input[type=password] { width: 100%; box-sizing: border-box; padding: .5rem; font: inherit; }
            button { margin-top: 1rem; padding: .5rem 1.25rem; font: inherit; }
            .problem { color: #a40000; }
            </style>
            </head>
            <body>
            <main>
            <h1>SocketAtm operations</h1>
            {{problemLine}}
            <form method="post" action="{{OperatorSignIn.SignInPath}}">
            <label for="token">Operator token</label>
            <input id="token" name="{{OperatorSignIn.TokenField}}" type="password" autocomplete="current-password" required autofocus>
            <input type="hidden" name="{{OperatorSignIn.ReturnField}}" value="{{WebUtility.HtmlEncode(returnPath)}}">
            <button type="submit">Sign in</button>
            </form>
            </main>
            </body>
            </html>
            """;
        return response.WriteAsync(html, Encoding.UTF8);
    }
}
