using System.Collections.Concurrent;
using System.IO.Pipelines;
using Microsoft.Extensions.Logging;
using SocketAtm.Client.Diagnostics;
using SocketAtm.Client.Messages;
using SocketAtm.Protocol.Framing;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Security;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.Client.Link;

/// <summary>
/// One open transport to the host: a read loop that matches every response to its pending request on DE 41 + DE 11,
/// and a write path that sends one frame at a time. Requests may be pipelined and answered in any order. When the
/// transport fails or is aborted, every pending request ends as <see cref="NoResponseReason.LinkLost"/>; the session is
/// never reused (the connection opens a new one).
/// </summary>
internal sealed class LinkSession : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<RequestKey, PendingRequest> _pending = new();
    private readonly CancellationTokenSource _closed = new();
    private readonly LengthPrefixedFrameReader _frames;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private long _lastSent;
    private int _pendingCount;

    public LinkSession(long id, Stream stream, int maxFrameLength, TimeProvider time, ILogger logger)
    {
        Id = id;
        _stream = stream;
        _time = time;
        _logger = logger;
        _frames = new LengthPrefixedFrameReader(maxFrameLength);
        _input = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        _output = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
        _lastSent = time.GetTimestamp();
        Reading = Task.CompletedTask;
    }

    /// <summary>Counts the transports a connection has opened, starting at 1.</summary>
    public long Id { get; }

    /// <summary>Completes when the read loop has ended: the link is gone.</summary>
    public Task Reading { get; private set; }

    /// <summary>Cancelled when the link is gone or being torn down.</summary>
    public CancellationToken Closed => _closed.Token;

    public bool IsClosed => _closed.IsCancellationRequested;

    /// <summary>When the last frame was sent (a <see cref="TimeProvider.GetTimestamp"/> value).</summary>
    public long LastSentTimestamp => Volatile.Read(ref _lastSent);

    public void Start() => Reading = ReadLoopAsync();

    /// <summary>True when a request of this terminal with this STAN is waiting for its answer.</summary>
    public bool IsInFlight(RequestKey key) => _pending.ContainsKey(key);

    /// <summary>
    /// Sends <paramref name="request"/> (signed under <paramref name="macKey"/> when given) and waits for the response
    /// with MTI <paramref name="responseMti"/>, DE 41 and DE 11 of <paramref name="key"/>, at most <paramref name="timeout"/>.
    /// <paramref name="waitToken"/> ends the wait (as <see cref="NoResponseReason.Cancelled"/>), not the request.
    /// </summary>
    public async Task<Reply> ExchangeAsync(IsoMessage request, RequestKey key, int responseMti, TimeSpan timeout, byte[]? macKey, CancellationToken waitToken)
    {
        var pending = new PendingRequest(this, key, responseMti, _time.GetTimestamp() + ToTimestampTicks(timeout));

        // Registered before the first byte goes out: the answer may arrive before the write returns.
        if (!_pending.TryAdd(key, pending))
        {
            throw new InvalidOperationException($"STAN {key.Stan} is already in flight for this terminal.");
        }

        Interlocked.Increment(ref _pendingCount);
        if (!await TryWriteAsync(request, macKey))
        {
            Complete(pending, Reply.None(NoResponseReason.LinkLost));
        }

        if (!waitToken.CanBeCanceled)
        {
            return await pending.Task;
        }

        using (waitToken.UnsafeRegister(static state =>
        {
            var cancelled = (PendingRequest)state!;
            cancelled.Owner.Complete(cancelled, Reply.None(NoResponseReason.Cancelled));
        }, pending))
        {
            return await pending.Task;
        }
    }

    /// <summary>Sends a zero-length keep-alive frame.</summary>
    public async Task SendKeepAliveAsync()
    {
        try
        {
            await _writeLock.WaitAsync(_closed.Token);
            try
            {
                FrameWriter.WriteKeepAlive(_output);
                Volatile.Write(ref _lastSent, _time.GetTimestamp());
                await _output.FlushAsync(_closed.Token);
            }
            finally
            {
                _writeLock.Release();
            }
        }
        catch (Exception exception) when (IsTransportFailure(exception))
        {
            Abort();
        }
    }

    /// <summary>Fails every request whose deadline is at or before <paramref name="now"/>.</summary>
    public void ExpireOverdue(long now)
    {
        if (Volatile.Read(ref _pendingCount) == 0)
        {
            return;
        }

        foreach (var entry in _pending)
        {
            if (entry.Value.Deadline <= now && Complete(entry.Value, Reply.None(NoResponseReason.Timeout)))
            {
                Log.RequestTimedOut(_logger, entry.Value.ResponseMti - 10, entry.Key.Stan);
            }
        }
    }

    /// <summary>Drops the link: the read loop ends and every pending request fails as link lost.</summary>
    public void Abort()
    {
        try
        {
            _closed.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already torn down.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Abort();
        await Reading;
        FailAll();
        await _input.CompleteAsync();
        try
        {
            await _output.CompleteAsync();
        }
        catch (Exception exception) when (IsTransportFailure(exception))
        {
            // Completing flushes what a failed write left buffered; over a link the host has closed (a connection cap
            // closes it at accept) that flush fails too, and must not end the reconnect loop that disposes the link.
        }

        await _stream.DisposeAsync();
    }

    private long ToTimestampTicks(TimeSpan timeout) => (long)(timeout.TotalSeconds * _time.TimestampFrequency);

    private static bool IsTransportFailure(Exception exception) =>
        exception is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException
            or System.Net.Sockets.SocketException;

    private async ValueTask<bool> TryWriteAsync(IsoMessage request, byte[]? macKey)
    {
        try
        {
            await _writeLock.WaitAsync(_closed.Token);
            try
            {
                if (macKey is null)
                {
                    FrameWriter.WriteFrame(_output, request);
                }
                else
                {
                    RetailMac.WriteSignedFrame(_output, request, macKey);
                }

                Volatile.Write(ref _lastSent, _time.GetTimestamp());
                var flushed = await _output.FlushAsync(_closed.Token);
                return !flushed.IsCompleted && !flushed.IsCanceled;
            }
            finally
            {
                _writeLock.Release();
            }
        }
        catch (Exception exception) when (IsTransportFailure(exception))
        {
            Log.WriteFailed(_logger, exception.GetType().Name);
            Abort();
            return false;
        }
    }

    private bool Complete(PendingRequest pending, Reply reply)
    {
        // Whoever removes the entry owns its completion: a late response and the timeout can never both win.
        if (!_pending.TryRemove(new KeyValuePair<RequestKey, PendingRequest>(pending.Key, pending)))
        {
            return false;
        }

        Interlocked.Decrement(ref _pendingCount);
        pending.TrySetResult(reply);
        return true;
    }

    private void FailAll()
    {
        foreach (var entry in _pending)
        {
            Complete(entry.Value, Reply.None(NoResponseReason.LinkLost));
        }
    }

    private async Task ReadLoopAsync()
    {
        // Off the caller's stack: Start() returns at once.
        await Task.Yield();
        try
        {
            while (true)
            {
                var result = await _input.ReadAsync(_closed.Token);
                var buffer = result.Buffer;
                while (true)
                {
                    var status = _frames.TryReadFrame(ref buffer, out var payload, out var declared);
                    if (status == FrameReadStatus.NeedMoreData)
                    {
                        break;
                    }

                    if (status == FrameReadStatus.FrameTooLarge)
                    {
                        Log.FrameTooLarge(_logger, declared, _frames.MaxFrameLength);
                        _input.AdvanceTo(buffer.Start, buffer.End);
                        return;
                    }

                    if (!payload.IsEmpty)
                    {
                        Dispatch(payload);
                    }
                }

                _input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    return;
                }
            }
        }
        catch (Exception exception) when (IsTransportFailure(exception))
        {
            // The link is gone; the connection reconnects.
        }
        finally
        {
            Abort();
            FailAll();
        }
    }

    private void Dispatch(in System.Buffers.ReadOnlySequence<byte> payload)
    {
        var message = MessagePool.Rent();
        if (!IsoMessageParser.TryParse(payload, message, out var error))
        {
            Log.UnreadableResponse(_logger, error.ToString());
            MessagePool.Return(message);
            return;
        }

        if (message.TryGetNumber(DataElements.Stan, out var stan)
            && _pending.TryGetValue(new RequestKey(RequestKey.PackTerminalId(message.Get(DataElements.TerminalId)), (int)stan), out var pending)
            && pending.ResponseMti == message.Mti
            && Complete(pending, Reply.Of(message)))
        {
            return;
        }

        // A late answer to a request that already timed out, or one that is not ours: dropped, never guessed at.
        Log.UnmatchedResponse(_logger, message.Mti, message.GetString(DataElements.TerminalId) ?? "?", message.GetString(DataElements.Stan) ?? "?");
        MessagePool.Return(message);
    }
}
