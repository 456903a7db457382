using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace SocketAtm.Server.Operations;

/// <summary>
/// The operator credential (<c>Operations:Token</c>) guarding what is not for load balancers: a request passes with
/// <c>Authorization: Bearer &lt;token&gt;</c>, compared in constant time; any other gets 401. With no token set, all pass
/// (the validator allows that on loopback only).
/// </summary>
internal sealed class OperatorToken(string? token)
{
    private readonly byte[]? _expected = token is null ? null : Encoding.UTF8.GetBytes(token);

    public bool IsRequired => _expected is not null;

    /// <summary>True when <paramref name="request"/> carries the token, or none is required.</summary>
    public bool Admits(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_expected is null)
        {
            return true;
        }

        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization.ToString(), out var header)
            || !string.Equals(header.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase)
            || header.Parameter is null)
        {
            return false;
        }

        // FixedTimeEquals returns at once on a length mismatch, so a wrong length tells only the length: hash both first.
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(header.Parameter)), SHA256.HashData(_expected));
    }

    /// <summary>Middleware: the next step runs only for an admitted request; any other is answered 401.</summary>
    public RequestDelegate Guard(RequestDelegate next) => context =>
    {
        if (Admits(context.Request))
        {
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";

        // A body, so that a browser shows the refusal rather than an error page of its own.
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync("401 Unauthorized: the operator credential is required (Authorization: Bearer <token>).\n");
    };
}
