using System.Net;
using System.Net.Sockets;

namespace SocketAtm.Server.Sessions;

/// <summary>
/// The key a remote party's IP address is counted under, by the listener's per-address connection caps, the throttle of
/// security violations and the rate-limited log lines alike: an IPv4 peer reaching a dual-stack socket (::ffff:a.b.c.d)
/// counts as its IPv4 address, and an IPv6 peer as its /64 — one subscriber or site is normally given a whole /64 and
/// may pick any of its 2^64 addresses for each connection, so counting single IPv6 addresses would limit nothing.
/// </summary>
internal static class RemoteAddressKey
{
    /// <summary>The address <paramref name="address"/> is counted under: its IPv4 form, or for IPv6 its /64 prefix (scope id dropped).</summary>
    public static IPAddress Normalize(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes);
    }

    /// <summary>The key as text, for tables and log lines: "192.0.2.7", or "2001:db8:1:2::/64" for any address of that /64.</summary>
    public static string Of(IPAddress address)
    {
        var normalized = Normalize(address);
        return normalized.AddressFamily == AddressFamily.InterNetworkV6 ? normalized + "/64" : normalized.ToString();
    }

    /// <summary>The key of an address given as text (as the listener hands it to a session); null when there is none or it is not an IP address.</summary>
    public static string? Of(string? address) =>
        address is not null && IPAddress.TryParse(address, out var parsed) ? Of(parsed) : null;
}
