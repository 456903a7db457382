using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SocketAtm.IssuerSim.Wire;

/// <summary>
/// Binds the simulator's port. A refusal window (<see cref="Faults.FaultOptions.RefuseFor"/>) keeps the port bound but
/// not listening, so a connect is refused with a reset; but on Linux a bound, non-listening port may be handed by the
/// kernel to another socket that binds port 0, which would then listen on it. So with a refusal window, port 0 means
/// a free port below the ephemeral range, which the kernel never hands out by itself.
/// </summary>
internal static class RefusablePort
{
    private const int LowestChosenPort = 10_000;
    private const int DefaultEphemeralLow = 32_768;

    public static Socket Bind(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // A listener closed by a reset is bound again on the same port at once, its closed connections in TIME_WAIT.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(endPoint);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Binds <paramref name="address"/>:<paramref name="port"/>, choosing the port as the summary says when it is 0 and a refusal window is set.</summary>
    public static Socket BindForStart(IPAddress address, int port, bool refuses)
    {
        if (port != 0 || !refuses)
        {
            return Bind(new IPEndPoint(address, port));
        }

        var high = EphemeralLow();
        SocketException? last = null;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var candidate = Random.Shared.Next(LowestChosenPort, high);
            if (IsListenedOn(address, candidate))
            {
                continue;
            }

            try
            {
                return Bind(new IPEndPoint(address, candidate));
            }
            catch (SocketException exception)
            {
                last = exception;
            }
        }

        throw last ?? new SocketException((int)SocketError.AddressAlreadyInUse);
    }

    private static bool IsListenedOn(IPAddress address, int port)
    {
        using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            probe.Bind(new IPEndPoint(address, port));
            probe.Listen(1);
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    private static int EphemeralLow()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return int.TryParse(range[0], NumberStyles.None, CultureInfo.InvariantCulture, out var low) && low > LowestChosenPort + 1000 ? low : DefaultEphemeralLow;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or IndexOutOfRangeException)
        {
            return DefaultEphemeralLow;
        }
    }
}
