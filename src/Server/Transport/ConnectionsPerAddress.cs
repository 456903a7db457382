using System.Net;
using SocketAtm.Server.Sessions;

namespace SocketAtm.Server.Transport;

/// <summary>
/// Counts open connections per remote IP address so one host cannot take the whole connection cap. An IPv4 peer
/// reaching a dual-stack socket (::ffff:a.b.c.d) counts as its IPv4 address. An IPv6 peer counts as its /64: one
/// subscriber or site is normally given a whole /64 and may pick any of its 2^64 addresses for each connection, so
/// counting single IPv6 addresses would cap nothing.
/// </summary>
internal sealed class ConnectionsPerAddress
{
    private readonly Dictionary<IPAddress, int> _open = [];
    private readonly int _limit;

    public ConnectionsPerAddress(int limit) => _limit = limit;

    /// <summary>Takes a place for a new connection from <paramref name="address"/>; false (and <paramref name="open"/> = those already open) at the cap.</summary>
    public bool TryAcquire(IPAddress address, out int open)
    {
        ArgumentNullException.ThrowIfNull(address);
        var key = Normalize(address);
        lock (_open)
        {
            _open.TryGetValue(key, out open);
            if (open >= _limit)
            {
                return false;
            }

            _open[key] = open + 1;
            return true;
        }
    }

    /// <summary>Gives back the place a connection from <paramref name="address"/> held.</summary>
    public void Release(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var key = Normalize(address);
        lock (_open)
        {
            if (_open.TryGetValue(key, out var open))
            {
                if (open <= 1)
                {
                    _open.Remove(key); // the table holds only addresses with open connections
                }
                else
                {
                    _open[key] = open - 1;
                }
            }
        }
    }

    /// <summary>Connections open from <paramref name="address"/> now.</summary>
    public int OpenFrom(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        lock (_open)
        {
            return _open.GetValueOrDefault(Normalize(address));
        }
    }

    /// <summary>Addresses (IPv6: prefixes) with at least one open connection: the table's size.</summary>
    public int TrackedAddresses
    {
        get
        {
            lock (_open)
            {
                return _open.Count;
            }
        }
    }

    /// <summary>The key <paramref name="address"/> is counted under (<see cref="RemoteAddressKey"/>).</summary>
    private static IPAddress Normalize(IPAddress address) => RemoteAddressKey.Normalize(address);
}
