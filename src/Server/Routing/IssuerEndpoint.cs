using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace SocketAtm.Server.Routing;

/// <summary>One <c>host:port</c> of a route (<c>[::1]:8584</c> for an IPv6 address).</summary>
internal sealed record IssuerEndpoint(string Host, int Port)
{
    public static bool TryParse(string? text, [NotNullWhen(true)] out IssuerEndpoint? endpoint)
    {
        endpoint = null;
        var trimmed = text?.Trim();
        var colon = trimmed?.LastIndexOf(':') ?? -1;
        if (trimmed is null || colon <= 0 || colon == trimmed.Length - 1)
        {
            return false;
        }

        var host = trimmed[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            return false; // An IPv6 address needs its brackets, or the port is ambiguous.
        }

        if (host.Length == 0 || host.Any(char.IsWhiteSpace)
            || !int.TryParse(trimmed.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            return false;
        }

        endpoint = new IssuerEndpoint(host, port);
        return true;
    }

    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
