using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using SocketAtm.Protocol.Iso8583;

namespace SocketAtm.Reliability.Tests.Support;

/// <summary>
/// A TCP proxy between terminals and the host that understands frames and misbehaves on cue: it can drop a frame,
/// hold it back, send it twice, or cut the connection in the middle of it. Each decision is made per frame by
/// <see cref="Plan"/>, from the direction and the parsed message.
/// </summary>
internal sealed class FaultProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _host;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<TcpClient> _sockets = [];
    private readonly Task _accepting;

    public FaultProxy(IPEndPoint host)
    {
        _host = host;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>What to do with each frame; forwards everything unless a test says otherwise.</summary>
    public Func<FrameDirection, IsoMessage, FaultAction> Plan { get; set; } = (_, _) => FaultAction.Forward;

    /// <summary>How long <see cref="FaultAction.Delay"/> holds a frame.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(3);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }

        try
        {
            await _accepting;
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var terminal = await _listener.AcceptTcpClientAsync(_stop.Token);
            var host = new TcpClient { NoDelay = true };
            await host.ConnectAsync(_host, _stop.Token);
            _sockets.Add(terminal);
            _sockets.Add(host);
            var cut = new CancellationTokenSource();
            _ = PumpAsync(terminal, host, FrameDirection.ToHost, cut, new SemaphoreSlim(1, 1));
            _ = PumpAsync(host, terminal, FrameDirection.ToTerminal, cut, new SemaphoreSlim(1, 1));
        }
    }

    /// <param name="writes">Serialises writes in one direction, so a delayed frame never lands inside another.</param>
    private async Task PumpAsync(TcpClient from, TcpClient to, FrameDirection direction, CancellationTokenSource cut, SemaphoreSlim writes)
    {
        var input = from.GetStream();
        var output = to.GetStream();
        var header = new byte[2];
        try
        {
            while (!cut.IsCancellationRequested)
            {
                await input.ReadExactlyAsync(header, cut.Token);
                var body = new byte[BinaryPrimitives.ReadUInt16BigEndian(header)];
                await input.ReadExactlyAsync(body, cut.Token);
                var message = new IsoMessage();
                IsoMessageParser.TryParse(body, message, out _);
                byte[] frame = [.. header, .. body];
                switch (Plan(direction, message))
                {
                    case FaultAction.Drop:
                        continue;
                    case FaultAction.Duplicate:
                        await WriteAsync(output, writes, frame, cut.Token);
                        await WriteAsync(output, writes, frame, cut.Token);
                        continue;
                    case FaultAction.Delay:
                        _ = DelayedWriteAsync(output, writes, frame, cut.Token);
                        continue;
                    case FaultAction.CutMidFrame:
                        await WriteAsync(output, writes, frame.AsMemory(0, frame.Length / 2), cut.Token);
                        await cut.CancelAsync();
                        from.Client.Close(0);
                        to.Client.Close(0);
                        return;
                    default:
                        await WriteAsync(output, writes, frame, cut.Token);
                        break;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or EndOfStreamException or ObjectDisposedException or SocketException)
        {
            // One side went away: take the other down with it, as a real network path would.
            await cut.CancelAsync();
            from.Dispose();
            to.Dispose();
        }
    }

    private static async Task WriteAsync(Stream output, SemaphoreSlim writes, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        await writes.WaitAsync(cancellationToken);
        try
        {
            await output.WriteAsync(bytes, cancellationToken);
        }
        finally
        {
            writes.Release();
        }
    }

    private async Task DelayedWriteAsync(Stream output, SemaphoreSlim writes, byte[] frame, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Delay, cancellationToken);
            await WriteAsync(output, writes, frame, cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }
}

/// <summary>Which way a frame travels through the proxy.</summary>
internal enum FrameDirection
{
    ToHost,
    ToTerminal,
}

/// <summary>What the proxy does with one frame.</summary>
internal enum FaultAction
{
    Forward,
    Drop,
    Delay,
    Duplicate,
    CutMidFrame,
}
