using System.Net;

namespace SocketAtm.Server.Transport;

/// <summary>
/// The one definition of "the listener is on loopback": <c>Listener:Address</c> is in 127.0.0.0/8, is ::1 (or an
/// IPv4-mapped 127.x address), or is the name <c>localhost</c>. Only then can no other machine reach the host, so only
/// then are the relaxations meant for the demo and local tools (demo data, plaintext, terminals without a MAC key)
/// safe by default. Every other address — 0.0.0.0, ::, a LAN or public address — is off loopback.
/// </summary>
internal static class LoopbackAddress
{
    /// <summary>The name accepted besides an IP address; it binds 127.0.0.1.</summary>
    public const string LocalhostName = "localhost";

    /// <summary>True when <paramref name="address"/> (a <c>Listener:Address</c> value) is loopback only.</summary>
    public static bool Is(string? address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return false;
        }

        var trimmed = address.Trim();
        if (string.Equals(trimmed, LocalhostName, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(trimmed, out var ip) && Is(ip);
    }

    /// <summary>True for 127.0.0.0/8, ::1 and their IPv4-mapped form; false for the unspecified addresses and all others.</summary>
    public static bool Is(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return IPAddress.IsLoopback(address);
    }
}
