using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using SocketAtm.Server.Diagnostics;

namespace SocketAtm.Server.Ledger.Writer;

/// <summary>
/// The bounded queue in front of a store's single writer, both ends of it. Sessions put requests in from any thread and
/// are answered 91 at once when it is full, instead of queueing without bound; the writer takes them out. After a storage
/// failure or once closed it takes nothing more, and whatever is still queued or in flight fails with
/// <see cref="LedgerUnavailableException"/>.
/// </summary>
internal sealed class LedgerQueue
{
    private static readonly LedgerOutcome Saturated = new() { ResponseCode = ResponseCodes.IssuerUnavailable };

    private readonly Channel<LedgerWork> _channel;
    private readonly LedgerFailure _failure;
    private readonly LedgerMetrics _metrics;
    private readonly ILogger _logger;
    private int _closing;

    /// <param name="onFatal">Called once, from the writer, when storage fails; the host should stop.</param>
    public LedgerQueue(int capacity, LedgerMetrics metrics, Action<Exception>? onFatal, ILogger logger)
    {
        _metrics = metrics;
        _logger = logger;
        _failure = new LedgerFailure(onFatal, logger);
        _channel = Channel.CreateBounded<LedgerWork>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        metrics.ObserveQueueDepth(() => _channel.Reader.Count);
    }

    /// <summary>The writer's end: read by one writer only.</summary>
    public ChannelReader<LedgerWork> Reader => _channel.Reader;

    /// <summary>Queues <paramref name="request"/>, untraced: <see cref="SubmitAsync(LedgerRequest, Activity?, CancellationToken)"/>.</summary>
    public ValueTask<LedgerOutcome> SubmitAsync(LedgerRequest request, CancellationToken cancellationToken) =>
        SubmitAsync(request, requestSpan: null, cancellationToken);

    /// <summary>
    /// Queues <paramref name="request"/> and returns the outcome its batch will give once durable, or 91 at once when the
    /// queue is full.
    /// </summary>
    /// <param name="requestSpan">The terminal request's span, whose child the commit's span is; null when it is not traced.</param>
    /// <remarks>
    /// Cancelling stops the wait, not the work: a request already queued is still applied, and its stored outcome is
    /// what a repeat gets back.
    /// </remarks>
    public ValueTask<LedgerOutcome> SubmitAsync(LedgerRequest request, Activity? requestSpan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<LedgerOutcome>(cancellationToken);
        }

        var work = new RequestWork(request) { Trace = AtmTracing.StartChild(requestSpan, AtmTracing.LedgerCommitSpanName) };
        if (!_channel.Writer.TryWrite(work))
        {
            if (_failure.HasFailed || Volatile.Read(ref _closing) != 0)
            {
                var unavailable = _failure.Unavailable();
                work.Fail(unavailable);
                return ValueTask.FromException<LedgerOutcome>(unavailable);
            }

            work.Trace?.SetTag(AtmTracing.SaturatedTag, true).Stop();
            _metrics.RecordSaturated();
            return new ValueTask<LedgerOutcome>(Saturated);
        }

        return new ValueTask<LedgerOutcome>(
            cancellationToken.CanBeCanceled ? work.Completion.WaitAsync(cancellationToken) : work.Completion);
    }

    /// <summary>Queues other work for the writer, waiting for room rather than refusing it.</summary>
    /// <exception cref="LedgerUnavailableException">The queue is closed, or storage has failed.</exception>
    public async Task EnqueueAsync(LedgerWork work, CancellationToken cancellationToken)
    {
        try
        {
            await _channel.Writer.WriteAsync(work, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            throw _failure.Unavailable();
        }
    }

    /// <summary>Takes no more work; what is queued is still done. True the first time, false when already closed.</summary>
    public bool Close()
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return false;
        }

        _channel.Writer.TryComplete();
        return true;
    }

    /// <summary>
    /// Called by the writer when storage fails: from then on nothing is taken, the host is told, and the work in flight
    /// and all still queued fails with <see cref="LedgerUnavailableException"/>.
    /// </summary>
    public void FailAll(Exception storageFailure, IEnumerable<LedgerWork> inFlight)
    {
        ArgumentNullException.ThrowIfNull(inFlight);
        LedgerLog.StorageFailed(_logger, storageFailure);

        // The host hears of it before any caller does: by the time a terminal is answered 96, the host is already
        // stopping, and whoever sees a request fail can rely on the failure having been reported.
        _failure.Record(storageFailure, () => _channel.Writer.TryComplete());
        var unavailable = _failure.Unavailable();
        foreach (var work in inFlight)
        {
            work.Fail(unavailable);
        }

        while (_channel.Reader.TryRead(out var queued))
        {
            queued.Fail(unavailable);
        }
    }
}
