using System.Buffers.Binary;
using System.Net;

namespace SocketAtm.Load.Workloads;

/// <summary>
/// The source addresses of a fleet's connections to one host. A host closes connections from one address beyond
/// Listener:MaxConnectionsPerAddress as soon as it accepts them; so that a larger fleet reaches a host the harness started
/// with that cap left as it is, its connections come from 127.0.0.1, 127.0.0.2, … in turn — Linux routes the whole of
/// 127.0.0.0/8 to the loopback interface, and each address is a peer of its own to the host.
/// </summary>
internal sealed class LoopbackSources
{
    private readonly IPAddress[] _addresses;

    private LoopbackSources(IPAddress[] addresses) => _addresses = addresses;

    /// <summary>No binding: the system chooses (127.0.0.1 towards a host on 127.0.0.1).</summary>
    public static LoopbackSources SystemChoice { get; } = new([]);

    /// <summary>Addresses used; 0 when the system chooses.</summary>
    public int Count => _addresses.Length;

    /// <summary>
    /// Enough addresses that <paramref name="connections"/> stay below <paramref name="maxConnectionsPerAddress"/> on each,
    /// with a tenth of the cap left free: a link the client library opens again is counted before the host has let go
    /// of the old one. None when one address is enough.
    /// </summary>
    public static LoopbackSources For(int connections, int maxConnectionsPerAddress)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConnectionsPerAddress, 1);
        var perAddress = Math.Max(1, maxConnectionsPerAddress - Math.Max(1, maxConnectionsPerAddress / 10));
        if (connections <= perAddress)
        {
            return SystemChoice;
        }

        var count = (connections + perAddress - 1) / perAddress;
        const uint First = 0x7F000001; // 127.0.0.1
        const uint Last = 0x7FFFFFFE; // 127.255.255.254
        if (count > Last - First + 1)
        {
            throw new InvalidOperationException($"{connections:N0} connections at {maxConnectionsPerAddress:N0} per address need more loopback addresses than 127.0.0.0/8 has.");
        }

        var addresses = new IPAddress[count];
        Span<byte> bytes = stackalloc byte[4];
        for (var index = 0; index < count; index++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes, First + (uint)index);
            addresses[index] = new IPAddress(bytes);
        }

        return new LoopbackSources(addresses);
    }

    /// <summary>The address the <paramref name="index"/>-th connection to the host comes from; null for the system's choice.</summary>
    public IPAddress? ForConnection(int index) => _addresses.Length == 0 ? null : _addresses[index % _addresses.Length];
}
