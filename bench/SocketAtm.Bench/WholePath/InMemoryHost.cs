using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using SocketAtm.Fixtures;
using SocketAtm.Protocol.Framing;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Vocabulary;
using SocketAtm.Server.Diagnostics;
using SocketAtm.Server.Hosting;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Security;
using SocketAtm.Server.Sessions;

namespace SocketAtm.Bench.WholePath;

/// <summary>
/// One real <see cref="TerminalSession"/> (the host's read loop, dispatcher, handlers and write loop, as the listener runs
/// them for a TCP connection) over a pair of in-memory pipes, with the benchmark as the terminal at the other end.
/// Composed by the host's own SessionPipeline, with logging off: what is measured is the host's work per message,
/// without the network and without log sinks.
/// </summary>
internal sealed class InMemoryHost : IAsyncDisposable
{
    // Like a socket transport's pipes: no synchronization context, continuations on the thread pool.
    private static readonly PipeOptions Options = new(useSynchronizationContext: false);

    private readonly DuplexPipePair _pipes = new(Options, Options);
    private readonly LengthPrefixedFrameReader _frames = new(LengthPrefixedFrameReader.DefaultMaxFrameLength);
    private readonly ServiceProvider _metricsProvider;
    private readonly TerminalSession _session;
    private readonly Task _running;

    public InMemoryHost(ILedger ledger, PinVerificationKey pinVerificationKey, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        _metricsProvider = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new AtmMetrics(_metricsProvider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        var pins = new PinVerifier();
        pins.Load(pinVerificationKey);
        _session = SessionPipeline.Compose(ledger, pins, new SessionOptions(), time, NullLoggerFactory.Instance, metrics)
            .Open(1, _pipes.Host);
        _running = Task.Run(_session.RunAsync);
    }

    /// <summary>
    /// Sends <paramref name="request"/> as one frame, reads the host's response into <paramref name="response"/> and
    /// fails unless the host approved (DE 39 = 00): a benchmark must never time a refusal by mistake. Pooled, so an
    /// exchange allocates nothing on the terminal's side.
    /// </summary>
    /// <exception cref="InvalidOperationException">The host refused, closed the connection or sent something unparsable.</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ExchangeAsync(IsoMessage request, IsoMessage response)
    {
        FrameWriter.WriteFrame(_pipes.Terminal.Output, request);
        await _pipes.Terminal.Output.FlushAsync();
        var input = _pipes.Terminal.Input;
        while (true)
        {
            var result = await input.ReadAsync();
            var buffer = result.Buffer;
            if (_frames.TryReadFrame(ref buffer, out var payload, out _) == FrameReadStatus.Frame)
            {
                var parsed = IsoMessageParser.TryParse(payload, response, out var error);
                input.AdvanceTo(buffer.Start);
                if (!parsed)
                {
                    throw new InvalidOperationException("The host's response does not parse: " + error);
                }

                if (!Ascii.Equals(response.Get(DataElements.ResponseCode), ResponseCodes.Approved))
                {
                    throw new InvalidOperationException(
                        $"MTI {request.Mti:D4} was answered {response.GetString(DataElements.ResponseCode) ?? "without DE 39"}, not 00: the benchmark would time a refusal.");
                }

                return;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new InvalidOperationException("The host closed the connection.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _pipes.Terminal.Output.CompleteAsync();
        await _running.WaitAsync(TimeSpan.FromSeconds(30));
        _session.Dispose();
        await _metricsProvider.DisposeAsync();
    }
}
