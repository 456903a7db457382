using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using SocketAtm.Protocol.Framing;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Security;

namespace SocketAtm.IssuerSim.Tests.Support;

/// <summary>
/// An acquirer's side of the link, as small as a test needs: frames out, frames in, over a real socket, built from the
/// codec alone.
/// </summary>
internal sealed class IssuerTestClient : IAsyncDisposable
{
    public static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(5);

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _reader;
    private readonly LengthPrefixedFrameReader _frames = new(ushort.MaxValue);

    private IssuerTestClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = PipeReader.Create(_stream);
    }

    public static async Task<IssuerTestClient> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new IssuerTestClient(socket);
    }

    /// <summary>Connects and signs on (0800 DE 70 = 001), asserting the 0810's DE 39 = 00.</summary>
    public static async Task<IssuerTestClient> SignedOnAsync(int port)
    {
        var client = await ConnectAsync(port);
        var answer = await client.ExchangeAsync(Upstream.SignOn());
        Assert.Equal("00", answer.GetString(39));
        return client;
    }

    public async Task SendAsync(IsoMessage message, byte[]? zak = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        if (zak is null)
        {
            FrameWriter.WriteFrame(buffer, message);
        }
        else
        {
            RetailMac.WriteSignedFrame(buffer, message, zak);
        }

        await _stream.WriteAsync(buffer.WrittenMemory);
    }

    /// <summary>Sends and waits for one answer; fails the test when none comes in time.</summary>
    public async Task<IsoMessage> ExchangeAsync(IsoMessage request, byte[]? zak = null)
    {
        await SendAsync(request, zak);
        return await ReceiveAsync() ?? throw new Xunit.Sdk.XunitException($"No answer to {request.Mti:D4} within {AnswerTimeout.TotalSeconds} s.");
    }

    /// <summary>The next message, or null when none parses within <paramref name="timeout"/>.</summary>
    public async Task<IsoMessage?> ReceiveAsync(TimeSpan? timeout = null)
    {
        var frame = await ReceiveFrameAsync(timeout ?? AnswerTimeout);
        if (frame.Kind != FrameKind.Frame)
        {
            return null;
        }

        var message = new IsoMessage();
        Assert.True(IsoMessageParser.TryParse(frame.Payload, message, out var error), $"The answer does not parse: {error}");
        return message;
    }

    /// <summary>The next frame as it came (accepted up to 65535 bytes, so an over-the-cap one is seen whole), the connection closing, or nothing in time.</summary>
    public async Task<ReceivedFrame> ReceiveFrameAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var read = await _reader.ReadAsync(deadline.Token);
                var buffer = read.Buffer;
                var status = _frames.TryReadFrame(ref buffer, out var payload, out _);
                if (status == FrameReadStatus.Frame)
                {
                    var bytes = payload.ToArray();
                    _reader.AdvanceTo(buffer.Start);
                    return new ReceivedFrame(FrameKind.Frame, bytes);
                }

                _reader.AdvanceTo(buffer.Start, buffer.End);
                if (read.IsCompleted)
                {
                    return new ReceivedFrame(FrameKind.Closed, []);
                }
            }
        }
        catch (OperationCanceledException)
        {
            return new ReceivedFrame(FrameKind.TimedOut, []);
        }
        catch (IOException)
        {
            return new ReceivedFrame(FrameKind.Closed, []);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.CompleteAsync();
        await _stream.DisposeAsync();
        _socket.Dispose();
    }
}

internal enum FrameKind
{
    Frame,
    Closed,
    TimedOut,
}

internal sealed record ReceivedFrame(FrameKind Kind, byte[] Payload);
