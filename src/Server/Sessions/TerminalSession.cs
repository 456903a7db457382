using System.Buffers;
using System.IO.Pipelines;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.ObjectPool;
using SocketAtm.Protocol.Framing;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Security;
using SocketAtm.Server.Diagnostics;

namespace SocketAtm.Server.Sessions;

/// <summary>
/// One terminal connection, over any <see cref="IDuplexPipe"/> (a socket, TLS, or an in-memory pipe in tests).
/// The read loop takes every complete frame from what arrived, parses it and hands it to its handler, synchronously
/// when the dispatcher and the handler complete at once (the fast paths) and asynchronously otherwise; several
/// requests may be in flight and complete out of order; one write loop sends responses so frames never interleave.
/// The read deadlines (<see cref="ReadDeadlines"/>) and the in-flight accounting (<see cref="InFlightRequests"/>)
/// live apart.
/// </summary>
internal sealed class TerminalSession : IDisposable
{
    private readonly IDuplexPipe _transport;
    private readonly SessionServices _services;
    private readonly SessionOptions _options;
    private readonly ILogger _logger;
    private readonly SessionTerminals _terminals;
    private readonly Channel<MessageContext> _outbox =
        Channel.CreateUnbounded<MessageContext>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    private readonly InFlightRequests _inFlight;
    private readonly SignOnDeadline _signOnDeadline;
    private readonly string? _remoteAddress;
    private readonly string? _remoteAddressKey;
    private readonly CancellationTokenSource _abort = new();
    private volatile bool _stopping;
    private string _closeReason = "closed by peer";

    /// <summary>Opened by <see cref="SessionServices.Open"/>, which every host, test and benchmark goes through.</summary>
    /// <param name="mayServeTerminal">The terminal ids this connection may speak for (bound by a TLS client certificate); null for any.</param>
    /// <param name="remoteAddress">The terminal's address as the listener counts it (the PROXY protocol's, behind a proxy), for the logs.</param>
    /// <param name="firstSignedOn">Called once, when a terminal first signs on over this connection (the listener's unsigned-connection cap).</param>
    public TerminalSession(
        long connectionId, IDuplexPipe transport, SessionServices services, ILogger logger, Func<string, bool>? mayServeTerminal, string? remoteAddress, Action? firstSignedOn)
    {
        ConnectionId = connectionId;
        _transport = transport;
        _services = services;
        _options = services.Options;
        _logger = logger;
        _remoteAddress = remoteAddress;
        _remoteAddressKey = RemoteAddressKey.Of(remoteAddress);
        _inFlight = new InFlightRequests(_options.MaxInFlightPerConnection);
        _signOnDeadline = new SignOnDeadline(services.Time, _options.SignOnTimeout, transport.Input, firstSignedOn);
        _terminals = new SessionTerminals(mayServeTerminal, _signOnDeadline.AnySignedOnChanged, services.Presence, remoteAddress);
    }

    public long ConnectionId { get; }

    /// <summary>Runs the session until the peer closes, a limit or violation closes it, or it is stopped or aborted.</summary>
    public async Task RunAsync()
    {
        _signOnDeadline.Start();
        var writing = WriteLoopAsync();
        try
        {
            await ReadLoopAsync(_abort.Token);
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            _closeReason = "aborted";
        }
        catch (IOException)
        {
            _closeReason = "connection reset";
        }
        catch (Exception exception)
        {
            _closeReason = "session failed";
            Log.SessionFailed(_logger, exception);
        }
        finally
        {
            _signOnDeadline.Stop();
            await _transport.Input.CompleteAsync();
            _inFlight.ReadingEnded();
            try
            {
                await _inFlight.AllAnswered.WaitAsync(_abort.Token);
            }
            catch (OperationCanceledException)
            {
                // Aborted while requests were in flight: their answers are abandoned.
            }

            _outbox.Writer.TryComplete();
            await writing;
            _terminals.ConnectionClosed();
            Log.ConnectionClosed(_logger, _closeReason);
        }
    }

    /// <summary>Phase two of a graceful stop: read no new requests; the session ends once in-flight ones are answered.</summary>
    public void StopReading()
    {
        _stopping = true;
        _closeReason = "host stopping";
        _transport.Input.CancelPendingRead();
    }

    /// <summary>Phase three: give up on in-flight work.</summary>
    public void Abort()
    {
        _closeReason = "aborted";
        try
        {
            _abort.Cancel();
            _transport.Input.CancelPendingRead();
        }
        catch (ObjectDisposedException)
        {
            // The session ended on its own meanwhile.
        }
    }

    /// <summary>Releases the session's own resources; call after <see cref="RunAsync"/> has completed.</summary>
    public void Dispose()
    {
        _signOnDeadline.Dispose();
        _abort.Dispose();
        _inFlight.Dispose();
    }

    private async Task ReadLoopAsync(CancellationToken abort)
    {
        var input = _transport.Input;
        var frames = new LengthPrefixedFrameReader(_options.MaxFrameLength);
        using var deadlines = new ReadDeadlines(input, _services.Time, _options);
        while (!_stopping)
        {
            deadlines.Arm();
            var result = await input.ReadAsync(abort);
            deadlines.Disarm();
            var buffer = result.Buffer;
            if (result.IsCanceled && (_stopping || abort.IsCancellationRequested))
            {
                input.AdvanceTo(buffer.Start, buffer.End);
                return;
            }

            // A read cancelled by the deadline timer may still carry bytes that arrived as it fired: they are parsed
            // like any others, and the deadline only closes the connection when they held no whole frame.
            var deadlinePassed = result.IsCanceled && deadlines.Passed;
            var close = false;
            var framesTaken = 0;
            while (!close)
            {
                var status = frames.TryReadFrame(ref buffer, out var payload, out var declared);
                if (status == FrameReadStatus.NeedMoreData)
                {
                    break;
                }

                if (status == FrameReadStatus.FrameTooLarge)
                {
                    Log.FrameTooLarge(_logger, declared, frames.MaxFrameLength);
                    _services.Metrics.FrameRejected("frame_too_large");
                    _closeReason = "frame too large";
                    close = true;
                    break;
                }

                deadlines.FrameCompleted();
                framesTaken++;
                if (payload.IsEmpty)
                {
                    continue; // keep-alive
                }

                await _inFlight.WaitForSlotAsync(abort);
                close = !Process(payload);
            }

            var buffered = buffer.Length;
            input.AdvanceTo(buffer.Start, buffer.End);
            if (close)
            {
                return;
            }

            // Checked after the frames that arrived are handled: a sign-on among them, answered at once, still counts.
            if (_signOnDeadline.Expired)
            {
                Log.SignOnTimeout(_logger, _options.SignOnTimeout, _remoteAddress ?? "an unknown address");
                _services.Metrics.ConnectionClosedByHost("sign_on_timeout");
                _closeReason = "sign-on timeout";
                return;
            }

            // Bytes that began a frame just as the idle deadline passed are a terminal at work, not an idle one.
            if (deadlinePassed && framesTaken == 0 && (deadlines.InsideFrame || buffered == 0))
            {
                CloseOnDeadline(idle: !deadlines.InsideFrame, buffered);
                return;
            }

            deadlines.Buffered(buffered, framesTaken);
            if (result.IsCompleted)
            {
                if (buffered > 0)
                {
                    Log.TruncatedAtClose(_logger, buffered);
                    _services.Metrics.FrameRejected("truncated_at_close");
                }

                return;
            }
        }
    }

    private void CloseOnDeadline(bool idle, long buffered)
    {
        if (idle)
        {
            Log.IdleTimeout(_logger, _options.IdleTimeout);
            _closeReason = "idle timeout";
        }
        else
        {
            Log.PartialFrameTimeout(_logger, buffered, _options.PartialFrameTimeout);
            _services.Metrics.FrameRejected("partial_frame_timeout");
            _closeReason = "partial frame timeout";
        }
    }

    /// <summary>Parses and starts handling one request. Returns false when the connection must close.</summary>
    private bool Process(in ReadOnlySequence<byte> payload)
    {
        var context = _services.Contexts.Get();
        context.Begin(_terminals, _services.Time.GetTimestamp(), _remoteAddressKey);
        var parsed = IsoMessageParser.TryParse(payload, context.Request, out var error);
        if (!parsed)
        {
            _services.Metrics.FrameRejected(error.Kind.ToString());
        }

        // Every line logged while this request is handled, including after its awaits, names the terminal.
        var terminalScope = _terminals.LogScopeFor(context.Request.Get(DataElements.TerminalId));
        using var scope = terminalScope is null ? null : _logger.BeginScope(terminalScope);
        var preparing = _services.Dispatcher.PrepareAsync(context, parsed, error, _abort.Token);
        if (!preparing.IsCompletedSuccessfully)
        {
            _inFlight.Begin();
            _ = HandleAsync(preparing, context);
            return true;
        }

        var decision = preparing.Result;
        switch (decision)
        {
            case DispatchDecision.Close:
                _closeReason = "protocol violation";
                Discard(context);
                _inFlight.ReleaseUnanswered();
                return false;
            case DispatchDecision.Ignore:
                Discard(context);
                _inFlight.ReleaseUnanswered();
                return true;
        }

        _inFlight.Begin();
        if (decision == DispatchDecision.Respond)
        {
            Enqueue(context);
            return true;
        }

        ValueTask handling;
        try
        {
            handling = context.Handler!.HandleAsync(context, _abort.Token);
        }
        catch (Exception exception)
        {
            handling = ValueTask.FromException(exception);
        }

        if (handling.IsCompletedSuccessfully)
        {
            Enqueue(context);
        }
        else
        {
            _ = CompleteAsync(handling, context);
        }

        return true;
    }

    /// <summary>The slow path, when the dispatcher itself had to wait (a terminal not in the ledger's memory).</summary>
    private async Task HandleAsync(ValueTask<DispatchDecision> preparing, MessageContext context)
    {
        DispatchDecision decision;
        try
        {
            decision = await preparing;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.HandlerFailed(_logger, exception);
            MessageDispatcher.AnswerSystemMalfunction(context);
            decision = DispatchDecision.Respond;
        }
        catch (OperationCanceledException)
        {
            Finish(context);
            return;
        }

        if (decision is DispatchDecision.Close or DispatchDecision.Ignore)
        {
            // Closing is decided before any await; an ignored message only needs its slot back.
            Finish(context);
            return;
        }

        await CompleteAsync(decision == DispatchDecision.Handle ? context.Handler!.HandleAsync(context, _abort.Token) : ValueTask.CompletedTask, context);
    }

    private async Task CompleteAsync(ValueTask handling, MessageContext context)
    {
        try
        {
            await handling;
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            Finish(context);
            return;
        }
        catch (Exception exception)
        {
            Log.HandlerFailed(_logger, exception);
            MessageDispatcher.AnswerSystemMalfunction(context);
        }

        Enqueue(context);
    }

    private void Enqueue(MessageContext context)
    {
        _services.Dispatcher.Completed(context);
        if (context.Terminal is { } terminal)
        {
            _services.Presence.Touched(terminal.TerminalId);
        }

        if (!_outbox.Writer.TryWrite(context))
        {
            // The write side is gone (connection aborted): nothing can be sent.
            Finish(context);
        }
    }

    private async Task WriteLoopAsync()
    {
        var output = _transport.Output;
        var reader = _outbox.Reader;
        try
        {
            while (await reader.WaitToReadAsync())
            {
                while (reader.TryRead(out var context))
                {
                    try
                    {
                        if (context.ResponseMacKey is { } macKey)
                        {
                            RetailMac.WriteSignedFrame(output, context.Response, macKey);
                        }
                        else
                        {
                            FrameWriter.WriteFrame(output, context.Response);
                        }
                    }
                    finally
                    {
                        Finish(context);
                    }
                }

                var flush = await output.FlushAsync(_abort.Token);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or InvalidOperationException)
        {
            // Aborted or the peer went away; whatever was queued cannot be delivered.
        }
        finally
        {
            while (reader.TryRead(out var context))
            {
                Finish(context);
            }

            await output.CompleteAsync();
        }
    }

    private void Discard(MessageContext context) => _services.Contexts.Return(context);

    /// <summary>A request is over (answered or abandoned): its context goes back and its in-flight slot frees.</summary>
    private void Finish(MessageContext context)
    {
        Discard(context);
        _inFlight.Finish();
    }
}
