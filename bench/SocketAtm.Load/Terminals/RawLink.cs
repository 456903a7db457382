using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using SocketAtm.Protocol.Framing;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Security;

namespace SocketAtm.Load.Terminals;

/// <summary>
/// A lean link for one terminal, beside the client library: it sends exactly the message it is given — also what the
/// library never sends on purpose (an 0201 after an answer, an 0200 with a used key) — and matches answers on DE 11.
/// It is also the driver for the echo ceiling, where the bare server sends each frame back unchanged; the same code
/// drives the host and the ceiling, so the ratio measures the host and not two different clients.
/// </summary>
internal sealed class RawLink : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private static readonly ConcurrentDictionary<RawLink, byte> Open = new();

    // One timer for every link's deadlines, as the client library does: a timer per request would cost more than the echo.
    private static readonly Timer Sweeper = new(static _ => SweepAll(), null, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(50));

    private readonly ConcurrentDictionary<int, (TaskCompletionSource<RawAnswer> Answer, long Deadline)> _pending = new();
    private readonly CancellationTokenSource _closed = new();
    private readonly LengthPrefixedFrameReader _frames = new(LengthPrefixedFrameReader.DefaultMaxFrameLength);
    private Task _reading = Task.CompletedTask;

    private RawLink(Socket socket, Stream stream)
    {
        _socket = socket;
        _stream = stream;
        _input = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 1024, minimumReadSize: 256, leaveOpen: true));
        _output = PipeWriter.Create(_stream, new StreamPipeWriterOptions(leaveOpen: true));
    }

    public bool IsClosed => _closed.IsCancellationRequested;

    /// <summary>The address this end of the link came from.</summary>
    public IPAddress? LocalAddress => (_socket.LocalEndPoint as IPEndPoint)?.Address;

    /// <summary>
    /// Connects to <paramref name="host"/>:<paramref name="port"/>, from <paramref name="localAddress"/> when given (else
    /// the system's choice).
    /// </summary>
    public static async Task<RawLink> ConnectAsync(
        string host, int port, IPAddress? localAddress, TimeSpan timeout, Client.TlsClientOptions? tls, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(timeout);
        Stream stream;
        try
        {
            if (localAddress is not null)
            {
                socket.Bind(new IPEndPoint(localAddress, 0));
            }

            await socket.ConnectAsync(host, port, attempt.Token);
            stream = new NetworkStream(socket, ownsSocket: true);
            if (tls is not null)
            {
                stream = await tls.AuthenticateAsync(stream, host, attempt.Token);
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var link = new RawLink(socket, stream);
        link._reading = link.ReadLoopAsync();
        Open.TryAdd(link, 0);
        GC.KeepAlive(Sweeper);
        return link;
    }

    /// <summary>
    /// Sends <paramref name="message"/> (MACed under <paramref name="macKey"/> when given) and waits for the frame whose
    /// DE 11 is <paramref name="stan"/>; <see cref="RawAnswer.None"/> when none comes within <paramref name="timeout"/>.
    /// </summary>
    public async Task<RawAnswer> ExchangeAsync(IsoMessage message, int stan, byte[]? macKey, TimeSpan timeout)
    {
        var answer = new TaskCompletionSource<RawAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        if (!_pending.TryAdd(stan, (answer, deadline)))
        {
            throw new InvalidOperationException($"STAN {stan} is already in flight on this link.");
        }

        try
        {
            await _writeLock.WaitAsync(_closed.Token);
            try
            {
                if (macKey is null)
                {
                    FrameWriter.WriteFrame(_output, message);
                }
                else
                {
                    RetailMac.WriteSignedFrame(_output, message, macKey);
                }

                await _output.FlushAsync(_closed.Token);
            }
            finally
            {
                _writeLock.Release();
            }

            return await answer.Task;
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            return RawAnswer.None;
        }
        finally
        {
            _pending.TryRemove(stan, out _);
        }
    }

    /// <summary>True when the other end closes the link (or it fails) within <paramref name="timeout"/>.</summary>
    public async Task<bool> EndsWithinAsync(TimeSpan timeout) => await Task.WhenAny(_reading, Task.Delay(timeout)) == _reading;

    public async ValueTask DisposeAsync()
    {
        Open.TryRemove(this, out _);
        await _closed.CancelAsync();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }

        await _reading;
        await _input.CompleteAsync();
        await _output.CompleteAsync();
        await _stream.DisposeAsync();
        _closed.Dispose();
        _writeLock.Dispose();
    }

    private async Task ReadLoopAsync()
    {
        await Task.Yield();
        var message = new IsoMessage();
        try
        {
            while (true)
            {
                var result = await _input.ReadAsync(_closed.Token);
                var buffer = result.Buffer;
                while (_frames.TryReadFrame(ref buffer, out var payload, out _) == FrameReadStatus.Frame)
                {
                    if (!payload.IsEmpty)
                    {
                        Dispatch(payload, message);
                    }
                }

                _input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // The link is gone: every waiter ends as unanswered.
        }
        finally
        {
            await _closed.CancelAsync();
            foreach (var waiting in _pending.Values)
            {
                waiting.Answer.TrySetResult(RawAnswer.None);
            }
        }
    }

    private static void SweepAll()
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var link in Open.Keys)
        {
            foreach (var (_, waiting) in link._pending)
            {
                if (waiting.Deadline <= now)
                {
                    waiting.Answer.TrySetResult(RawAnswer.None);
                }
            }
        }
    }

    private void Dispatch(in ReadOnlySequence<byte> payload, IsoMessage message)
    {
        message.Clear();
        if (!IsoMessageParser.TryParse(payload, message, out _) || !message.TryGetNumber(11, out var stan)
            || !_pending.TryGetValue((int)stan, out var waiting))
        {
            return;
        }

        waiting.Answer.TrySetResult(new RawAnswer(message.Mti, message.GetString(39), message.GetString(38)?.Trim(), message.GetString(37)?.Trim()));
    }
}
