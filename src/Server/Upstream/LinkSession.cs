using System.Buffers;
using System.IO.Pipelines;
using SocketAtm.Protocol.Framing;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Security;

namespace SocketAtm.Server.Upstream;

/// <summary>
/// One open connection to an issuer: a pipe over the socket (or TLS stream), one writer at a time, a read loop that
/// matches answers to the requests in flight on this connection, and the end of it all (<see cref="Closed"/>). When the
/// connection drops — reset, end of stream, a framing error, an echo unanswered — every request still waiting on it
/// ends at once as no answer; it is never handed another connection's answer.
/// </summary>
internal sealed class LinkSession : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly RouteContext _route;
    private readonly Dictionary<CorrelationKey, TaskCompletionSource<IsoMessage?>> _pending = [];
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource<string> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private long _lastReceived;
    private bool _isClosed;
    private Task? _readLoop;

    public LinkSession(Stream stream, RouteContext route, string endpoint)
    {
        _stream = stream;
        _route = route;
        Endpoint = endpoint;
        _input = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        _output = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
        _lastReceived = route.Time.GetTimestamp();
    }

    public string Endpoint { get; }

    /// <summary>Completes with the reason once the connection has dropped or was closed.</summary>
    public Task<string> Closed => _closed.Task;

    /// <summary>How long nothing was received on this connection.</summary>
    public TimeSpan Idle => _route.Time.GetElapsedTime(Interlocked.Read(ref _lastReceived));

    /// <summary>Cancelled once the connection drops.</summary>
    public CancellationToken Closing => _closing.Token;

    public void Start() => _readLoop = Task.Run(ReadLoopAsync);

    /// <summary>
    /// Sends <paramref name="request"/> (MACed under <paramref name="macKey"/> when not empty) and waits up to
    /// <paramref name="timeout"/> for the answer with its key; null answer with <see cref="UpstreamOutcome.TimedOut"/> or
    /// <see cref="UpstreamOutcome.NotSent"/> otherwise. The answer's checks are the caller's.
    /// </summary>
    public async ValueTask<(UpstreamReply Reply, IsoMessage? Answer)> ExchangeAsync(
        IsoMessage request, CorrelationKey key, ReadOnlyMemory<byte> macKey, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var pending = new TaskCompletionSource<IsoMessage?>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_isClosed)
            {
                return (UpstreamReply.NotSent(NotSentReason.NoSignedOnConnection), null);
            }

            if (!_pending.TryAdd(key, pending))
            {
                return (UpstreamReply.NotSent(NotSentReason.DuplicateKey), null);
            }
        }

        var written = false;
        try
        {
            await _writeLock.WaitAsync(cancellationToken);
            try
            {
                if (Volatile.Read(ref _isClosed))
                {
                    Forget(key, pending);
                    return (UpstreamReply.NotSent(NotSentReason.NoSignedOnConnection), null);
                }

                if (macKey.IsEmpty)
                {
                    FrameWriter.WriteFrame(_output, request);
                }
                else
                {
                    RetailMac.WriteSignedFrame(_output, request, macKey.Span);
                }

                // From here the bytes may leave: whatever happens next, the request counts as sent. The flush is never
                // cancelled, which would leave half a frame on the wire.
                written = true;
                var flushed = await _output.FlushAsync(CancellationToken.None);
                if (flushed.IsCanceled || flushed.IsCompleted)
                {
                    Drop("the connection closed while sending");
                }
            }
            finally
            {
                _writeLock.Release();
            }
        }
        catch (OperationCanceledException) when (!written)
        {
            Forget(key, pending);
            return (UpstreamReply.NotSent(NotSentReason.Cancelled), null);
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or InvalidOperationException)
        {
            Forget(key, pending);
            Drop("write failed: " + exception.Message);
            return (written ? UpstreamReply.TimedOut(TimedOutReason.ConnectionLost) : UpstreamReply.NotSent(NotSentReason.NoSignedOnConnection), null);
        }

        IsoMessage? answer;
        try
        {
            answer = await pending.Task.WaitAsync(timeout, _route.Time, cancellationToken);
        }
        catch (Exception exception) when (exception is TimeoutException or OperationCanceledException)
        {
            if (Forget(key, pending))
            {
                _route.RecentTimeouts.Add(key);
                return (UpstreamReply.TimedOut(exception is TimeoutException ? TimedOutReason.Timeout : TimedOutReason.Cancelled), null);
            }

            answer = await pending.Task; // The answer won the race with the clock: it is this request's.
        }

        return answer is null ? (UpstreamReply.TimedOut(TimedOutReason.ConnectionLost), null) : (default, answer);
    }

    /// <summary>Drops the connection (idempotent): requests waiting on it end as no answer, <see cref="Closed"/> completes.</summary>
    public void Drop(string reason)
    {
        List<TaskCompletionSource<IsoMessage?>> orphans;
        lock (_lock)
        {
            if (_isClosed)
            {
                return;
            }

            _isClosed = true;
            orphans = [.. _pending.Values];
            _pending.Clear();
        }

        foreach (var orphan in orphans)
        {
            orphan.TrySetResult(null);
        }

        _closing.Cancel();
        _input.CancelPendingRead();
        try
        {
            _stream.Dispose();
        }
        catch (IOException)
        {
            // Closing a connection that is already broken.
        }

        _closed.TrySetResult(reason);
    }

    public async ValueTask DisposeAsync()
    {
        Drop("closed by the host");
        if (_readLoop is not null)
        {
            await _readLoop.ConfigureAwait(false);
        }

        _closing.Dispose();
        _writeLock.Dispose();
    }

    /// <summary>Removes this request's entry; false when the read loop (or a drop) already took it.</summary>
    private bool Forget(CorrelationKey key, TaskCompletionSource<IsoMessage?> pending)
    {
        lock (_lock)
        {
            if (_pending.TryGetValue(key, out var found) && ReferenceEquals(found, pending))
            {
                _pending.Remove(key);
                return true;
            }

            return false;
        }
    }

    private async Task ReadLoopAsync()
    {
        var frames = new LengthPrefixedFrameReader(_route.MaxFrameLength);
        var scratch = new IsoMessage();
        try
        {
            while (true)
            {
                var result = await _input.ReadAsync(_closing.Token);
                var buffer = result.Buffer;
                var reason = ReadFrames(ref buffer, frames, ref scratch);
                _input.AdvanceTo(buffer.Start, buffer.End);
                if (reason is not null)
                {
                    Drop(reason);
                    return;
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    Drop(result.IsCanceled ? "closed by the host" : "the issuer closed the connection");
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            Drop("closed by the host");
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or InvalidOperationException)
        {
            Drop("connection reset: " + exception.Message);
        }
        finally
        {
            await _input.CompleteAsync();
            await _output.CompleteAsync();
        }
    }

    /// <summary>Takes every complete frame of <paramref name="buffer"/>; the reason to drop the connection, or null.</summary>
    private string? ReadFrames(ref ReadOnlySequence<byte> buffer, LengthPrefixedFrameReader frames, ref IsoMessage scratch)
    {
        while (true)
        {
            var status = frames.TryReadFrame(ref buffer, out var payload, out var declared);
            if (status == FrameReadStatus.NeedMoreData)
            {
                return null;
            }

            if (status == FrameReadStatus.FrameTooLarge)
            {
                _route.Discarded(Endpoint, "frame_too_large", -1, null);
                return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"framing error: a frame of {declared} bytes, the cap is {_route.MaxFrameLength}");
            }

            Interlocked.Exchange(ref _lastReceived, _route.Time.GetTimestamp());
            if (payload.Length == 0)
            {
                continue; // A keep-alive.
            }

            if (!IsoMessageParser.TryParse(payload, scratch, out var error))
            {
                _route.Discarded(Endpoint, "unparsable", scratch.Mti, null);
                return "framing error: an unparsable message (" + error + ")";
            }

            if (!MessageTypes.IsResponse(scratch.Mti))
            {
                _route.Discarded(Endpoint, "request_mti", scratch.Mti, scratch.GetString(DataElements.Stan));
                continue;
            }

            if (CorrelationKey.OfAnswer(scratch) is not { } key || TakePending(key) is not { } pending)
            {
                var late = CorrelationKey.OfAnswer(scratch) is { } known && _route.RecentTimeouts.TryTake(known);
                _route.Discarded(Endpoint, late ? "late" : "unmatched", scratch.Mti, scratch.GetString(DataElements.Stan));
                continue;
            }

            // The answer now belongs to its request's caller; the next frame is read into a fresh message.
            pending.TrySetResult(scratch);
            scratch = new IsoMessage();
        }
    }

    private TaskCompletionSource<IsoMessage?>? TakePending(CorrelationKey key)
    {
        lock (_lock)
        {
            return _pending.Remove(key, out var pending) ? pending : null;
        }
    }
}
