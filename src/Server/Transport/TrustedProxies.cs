using System.Net;
using System.Net.Sockets;

namespace SocketAtm.Server.Transport;

/// <summary>
/// The proxies whose PROXY protocol header the host believes (<see cref="ListenerOptions.TrustedProxies"/>): single
/// addresses or CIDR ranges, IPv4 or IPv6. An IPv4 peer on a dual-stack socket (::ffff:a.b.c.d) matches as IPv4.
/// </summary>
internal sealed class TrustedProxies
{
    private readonly IPNetwork[] _networks;

    private TrustedProxies(IPNetwork[] networks) => _networks = networks;

    /// <summary>The proxies <paramref name="entries"/> name; call after validation (<see cref="TryParseEntry"/> accepted each).</summary>
    public static TrustedProxies Parse(IEnumerable<string> entries) =>
        new([.. entries.Select(entry => TryParseEntry(entry, out var network) ? network : throw new FormatException($"'{entry}' is not an IP address or CIDR range."))]);

    /// <summary>An address ("10.0.0.5", "2001:db8::5") or a CIDR range whose host bits are zero ("10.0.0.0/24", "2001:db8::/64").</summary>
    public static bool TryParseEntry(string? entry, out IPNetwork network)
    {
        network = default;
        var text = entry?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (!text.Contains('/', StringComparison.Ordinal))
        {
            if (!IPAddress.TryParse(text, out var address) || (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0))
            {
                return false;
            }

            address = Normalize(address);
            network = new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        // A range must be written with its host bits zero: "10.0.0.5/24" may mean the range or the one address.
        if (!IPNetwork.TryParse(text, out network)
            || !IPAddress.TryParse(text.AsSpan(0, text.IndexOf('/', StringComparison.Ordinal)), out var written)
            || !written.Equals(network.BaseAddress))
        {
            network = default;
            return false;
        }

        if (network.BaseAddress.IsIPv4MappedToIPv6 && network.PrefixLength >= 96)
        {
            network = new IPNetwork(network.BaseAddress.MapToIPv4(), network.PrefixLength - 96);
        }

        return true;
    }

    /// <summary>True when <paramref name="peer"/> is one of the proxies.</summary>
    public bool Contains(IPAddress peer)
    {
        var address = Normalize(peer);
        foreach (var network in _networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString() => string.Join(", ", _networks);

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
