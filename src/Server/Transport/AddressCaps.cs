using System.Net;

namespace SocketAtm.Server.Transport;

/// <summary>
/// The two caps a connection from one address is admitted under: all its connections
/// (<see cref="ListenerOptions.MaxConnectionsPerAddress"/>), and those over which no terminal has signed on yet
/// (<see cref="ListenerOptions.MaxUnsignedConnectionsPerAddress"/>), much smaller: a host that cannot sign a terminal on
/// can hold only a few connections at a time, each for at most the sign-on timeout. Addresses are counted as
/// <see cref="ConnectionsPerAddress"/> counts them (IPv6 per /64); both tables hold only addresses with connections open.
/// </summary>
internal sealed class AddressCaps
{
    public const string PerAddressReason = "max_connections_per_address";
    public const string UnsignedPerAddressReason = "max_unsigned_connections_per_address";

    private readonly ConnectionsPerAddress _all;
    private readonly ConnectionsPerAddress _unsigned;

    public AddressCaps(int maxPerAddress, int maxUnsignedPerAddress)
    {
        MaxPerAddress = maxPerAddress;
        MaxUnsignedPerAddress = maxUnsignedPerAddress;
        _all = new ConnectionsPerAddress(maxPerAddress);
        _unsigned = new ConnectionsPerAddress(maxUnsignedPerAddress);
    }

    public int MaxPerAddress { get; }

    public int MaxUnsignedPerAddress { get; }

    /// <summary>
    /// Takes a place for a new connection from <paramref name="address"/> under both caps; false at either, with the
    /// metric reason of the one reached and the connections already counted against it.
    /// </summary>
    public bool TryAdmit(IPAddress address, out Place? place, out string refusedFor, out int open)
    {
        place = null;
        if (!_all.TryAcquire(address, out open))
        {
            refusedFor = PerAddressReason;
            return false;
        }

        if (!_unsigned.TryAcquire(address, out open))
        {
            _all.Release(address);
            refusedFor = UnsignedPerAddressReason;
            return false;
        }

        place = new Place(this, address);
        refusedFor = string.Empty;
        return true;
    }

    /// <summary>Connections from <paramref name="address"/> over which no terminal has signed on yet.</summary>
    public int UnsignedFrom(IPAddress address) => _unsigned.OpenFrom(address);

    /// <summary>One admitted connection's places; each is given back once, whatever the order of the calls.</summary>
    internal sealed class Place(AddressCaps caps, IPAddress address)
    {
        private int _unsignedHeld = 1;
        private int _held = 1;

        /// <summary>A terminal signed on over the connection for the first time: it no longer counts as unsigned, for good.</summary>
        public void SignedOn()
        {
            if (Interlocked.Exchange(ref _unsignedHeld, 0) == 1)
            {
                caps._unsigned.Release(address);
            }
        }

        /// <summary>The connection closed.</summary>
        public void Release()
        {
            SignedOn();
            if (Interlocked.Exchange(ref _held, 0) == 1)
            {
                caps._all.Release(address);
            }
        }
    }
}
