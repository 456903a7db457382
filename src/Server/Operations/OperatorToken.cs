using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace SocketAtm.Server.Operations;

/// <summary>
/// The operator credential <c>Operations:Token</c>, compared in constant time: sent as <c>Authorization: Bearer
/// &lt;token&gt;</c> or typed into the sign-in page. Which routes need it, and the other credentials, are
/// <see cref="Access.OperatorAccess"/>'s.
/// </summary>
internal sealed class OperatorToken(string? token)
{
    private readonly byte[]? _expectedHash = token is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(token));

    public bool IsRequired => _expectedHash is not null;

    /// <summary>True when <paramref name="presented"/> is the token; false when none is configured.</summary>
    public bool Matches(string? presented)
    {
        if (_expectedHash is null || presented is null)
        {
            return false;
        }

        // FixedTimeEquals returns at once on a length mismatch, so a wrong length tells only the length: hash both first.
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _expectedHash);
    }

    /// <summary>True when <paramref name="request"/> carries the token as a bearer, or none is required.</summary>
    public bool Admits(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _expectedHash is null || Matches(BearerOf(request));
    }

    /// <summary>The token of an <c>Authorization: Bearer</c> header; null when there is no such header.</summary>
    public static string? BearerOf(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.Length == 0)
        {
            return null;
        }

        // A header in another scheme (Basic) or malformed is a wrong credential, not a missing one.
        return AuthenticationHeaderValue.TryParse(authorization, out var header)
            && string.Equals(header.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase)
            ? header.Parameter ?? string.Empty
            : string.Empty;
    }
}
