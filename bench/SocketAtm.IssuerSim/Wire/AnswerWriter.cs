using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net.Sockets;
using SocketAtm.IssuerSim.Faults;
using SocketAtm.Protocol.Framing;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Security;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.IssuerSim.Wire;

/// <summary>
/// Writes one connection's answers, one frame at a time, and injects the answer faults: a financial answer is encoded at
/// once (the connection reuses its message) and may then be dropped, replaced by a bad one, delayed, doubled or held
/// back behind the next. Network management answers go out as they are, so a faulty issuer still signs on.
/// </summary>
internal sealed class AnswerWriter : IAsyncDisposable
{
    private readonly PipeWriter _output;
    private readonly IssuerContext _context;
    private readonly string _remote;
    private readonly CancellationToken _closing;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _reorderGate = new();
    private readonly ConcurrentDictionary<Task, byte> _pending = new();
    private HeldAnswer? _held;

    public AnswerWriter(PipeWriter output, IssuerContext context, string remote, CancellationToken closing)
    {
        _output = output;
        _context = context;
        _remote = remote;
        _closing = closing;
    }

    /// <summary>Sends <paramref name="answer"/> (to <paramref name="request"/>), signed under the ZAK when <paramref name="sign"/>.</summary>
    public async Task WriteAsync(IsoMessage request, IsoMessage answer, bool sign, bool financial)
    {
        if (!financial)
        {
            await EmitAsync(Encode(answer, sign), 1);
            return;
        }

        var fate = _context.Faults.Next();
        var stan = request.GetString(DataElements.Stan);
        byte[] frame;
        if (fate.Bad != BadAnswerMode.None)
        {
            IssuerLog.Fault(_context.Logger, $"bad answer ({fate.Bad})", stan, _remote);
            frame = BadAnswers.TryCorrupt(fate.Bad, request, answer) ? Encode(answer, sign) : BadAnswers.Frame(fate.Bad, _context.Options.MaxFrameLength);
        }
        else
        {
            frame = Encode(answer, sign);
        }

        if (fate.Drop)
        {
            IssuerLog.Fault(_context.Logger, "answer dropped (its effect is booked)", stan, _remote);
            return;
        }

        var copies = fate.Duplicate ? 2 : 1;
        if (fate.Duplicate)
        {
            IssuerLog.Fault(_context.Logger, "answer sent twice", stan, _remote);
        }

        if (fate.Delay > TimeSpan.Zero)
        {
            Track(DelayedAsync(frame, copies, fate.Delay));
            return;
        }

        await ReorderOrEmitAsync(frame, copies);
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_pending.Keys);
        await _output.CompleteAsync();
        _gate.Dispose();
    }

    private byte[] Encode(IsoMessage answer, bool sign)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        if (sign && _context.Options.ZoneMacKey is { } zak)
        {
            RetailMac.WriteSignedFrame(buffer, answer, zak);
        }
        else
        {
            FrameWriter.WriteFrame(buffer, answer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private async Task DelayedAsync(byte[] frame, int copies, TimeSpan delay)
    {
        await Task.Delay(delay, _closing);
        await ReorderOrEmitAsync(frame, copies);
    }

    /// <summary>With reordering, every other answer waits for the next one (or the hold limit) and goes out after it.</summary>
    private async Task ReorderOrEmitAsync(byte[] frame, int copies)
    {
        if (!_context.Faults.Options.Reorder)
        {
            await EmitAsync(frame, copies);
            return;
        }

        HeldAnswer? previous;
        lock (_reorderGate)
        {
            previous = _held;
            if (previous is null)
            {
                var held = new HeldAnswer(frame, copies);
                _held = held;
                Track(ReleaseLaterAsync(held));
                return;
            }

            _held = null;
        }

        await EmitAsync(frame, copies);
        await EmitAsync(previous.Frame, previous.Copies);
    }

    private async Task ReleaseLaterAsync(HeldAnswer held)
    {
        await Task.Delay(_context.Faults.Options.ReorderHoldLimit, _closing);
        lock (_reorderGate)
        {
            if (!ReferenceEquals(_held, held))
            {
                return;
            }

            _held = null;
        }

        await EmitAsync(held.Frame, held.Copies);
    }

    private async Task EmitAsync(byte[] frame, int copies)
    {
        await _gate.WaitAsync(_closing);
        try
        {
            for (var i = 0; i < copies; i++)
            {
                await _output.WriteAsync(frame, _closing);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Keeps a background send until it ends; a send on a closed connection ends quietly.</summary>
    private void Track(Task send)
    {
        var quiet = Quietly(send);
        _pending.TryAdd(quiet, 0);
        quiet.ContinueWith(done => _pending.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private static async Task Quietly(Task send)
    {
        try
        {
            await send;
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // The connection is gone: the answer is lost, as on a real link; its effect is booked all the same.
        }
    }

    private sealed record HeldAnswer(byte[] Frame, int Copies);
}
