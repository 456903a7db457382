using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace SocketAtm.EndToEnd.Tests.Acquiring;

/// <summary>
/// A loopback TCP relay in front of the issuer simulator: a second endpoint of the SAME issuer (one book), as an issuer's
/// fail-over hosts are. A test can <see cref="Hold"/> it — frames towards the issuer are swallowed from then on, so a
/// request leaves the host and never reaches the issuer — and <see cref="Kill"/> it: every connection closed and the port
/// no longer listening, so the host's link fails over to the next endpoint.
/// </summary>
internal sealed class TcpRelay : IAsyncDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly IPEndPoint _target;
    private readonly ConcurrentDictionary<Socket, byte> _sockets = new();
    private readonly CancellationTokenSource _killed = new();
    private readonly Task _accepting;
    private volatile bool _holding;
    private int _swallowed;

    public TcpRelay(IPEndPoint target)
    {
        _target = target;
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(16);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>Frames swallowed since <see cref="Hold"/>.</summary>
    public int SwallowedFrames => Volatile.Read(ref _swallowed);

    public void Hold() => _holding = true;

    public void Kill()
    {
        _killed.Cancel();
        _listener.Dispose();
        foreach (var socket in _sockets.Keys)
        {
            socket.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_killed.IsCancellationRequested)
        {
            Kill();
        }

        await _accepting;
        _killed.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_killed.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_killed.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            client.NoDelay = true;
            _sockets.TryAdd(client, 0);
            _sockets.TryAdd(server, 0);
            try
            {
                await server.ConnectAsync(_target, _killed.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                client.Dispose();
                server.Dispose();
                continue;
            }

            _ = Quietly(PumpFramesAsync(client, server), client, server);
            _ = Quietly(PumpBytesAsync(server, client), client, server);
        }
    }

    /// <summary>Host → issuer, a frame at a time, so that holding swallows whole frames and counts them.</summary>
    private async Task PumpFramesAsync(Socket from, Socket to)
    {
        var header = new byte[2];
        while (true)
        {
            await ReadExactlyAsync(from, header);
            var payload = new byte[BinaryPrimitives.ReadUInt16BigEndian(header)];
            await ReadExactlyAsync(from, payload);
            if (_holding)
            {
                Interlocked.Increment(ref _swallowed);
                continue;
            }

            await to.SendAsync(header, SocketFlags.None, _killed.Token);
            await to.SendAsync(payload, SocketFlags.None, _killed.Token);
        }
    }

    private async Task PumpBytesAsync(Socket from, Socket to)
    {
        var buffer = new byte[8192];
        while (true)
        {
            var read = await from.ReceiveAsync(buffer, SocketFlags.None, _killed.Token);
            if (read == 0)
            {
                return;
            }

            await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _killed.Token);
        }
    }

    private async Task ReadExactlyAsync(Socket from, byte[] buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var got = await from.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, _killed.Token);
            if (got == 0)
            {
                throw new EndOfStreamException();
            }

            read += got;
        }
    }

    /// <summary>Either direction ending closes both sockets: the relay is one connection to each side.</summary>
    private async Task Quietly(Task pump, Socket client, Socket server)
    {
        try
        {
            await pump;
        }
        catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException or EndOfStreamException)
        {
            // The connection or the relay ended.
        }
        finally
        {
            _sockets.TryRemove(client, out _);
            _sockets.TryRemove(server, out _);
            client.Dispose();
            server.Dispose();
        }
    }
}
