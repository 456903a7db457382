using System.Buffers;
using System.IO.Pipelines;
using Microsoft.Extensions.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SocketAtm.Protocol.Framing;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Server.Diagnostics;
using SocketAtm.Server.Handlers;
using SocketAtm.Server.Hosting;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Security;
using SocketAtm.Server.Sessions;
using SocketAtm.Server.Transport;

namespace SocketAtm.Server.Tests.Sessions;

/// <summary>Runs one real <see cref="TerminalSession"/> over in-memory pipes, with the test playing the terminal.</summary>
internal sealed class SessionHarness : IAsyncDisposable
{
    private readonly DuplexPipePair _pipes;
    private readonly ServiceProvider _metricsProvider;
    private readonly TerminalSession _session;

    /// <param name="hostReadScheduler">Where the session's read loop resumes after each read; a test holds it to choose what one read returns.</param>
    /// <param name="keyExchanges">How often a terminal may exchange keys; null for the defaults.</param>
    /// <param name="acceptRequestsWithoutTrack2">False as a host whose issuer refuses card requests without DE 35.</param>
    /// <param name="remoteAddress">The address the connection comes from, as the listener gives it; null for none.</param>
    /// <param name="violationThrottle">When security violations are throttled; null for the defaults.</param>
    /// <param name="terminalsWithoutMacOnAnyConnection">False as a host off loopback that does not allow terminals without a MAC key everywhere.</param>
    /// <param name="mayServeTerminal">The terminals the connection is bound to, as by a client certificate naming them; null for an unbound connection.</param>
    public SessionHarness(
        FakeLedger? ledger = null,
        ListenerOptions? options = null,
        PipeScheduler? hostReadScheduler = null,
        KeyExchangeOptions? keyExchanges = null,
        bool acceptRequestsWithoutTrack2 = true,
        string? remoteAddress = null,
        ViolationThrottleOptions? violationThrottle = null,

        bool terminalsWithoutMacOnAnyConnection = true,
        Func<string, bool>? mayServeTerminal = null)
    {
        _pipes = new DuplexPipePair(toHost: new PipeOptions(readerScheduler: hostReadScheduler ?? PipeScheduler.ThreadPool, useSynchronizationContext: false));
        Ledger = ledger ?? new FakeLedger();
        Options = options ?? new ListenerOptions();
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
        Ledger.Time = Time;
        _metricsProvider = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new AtmMetrics(_metricsProvider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        var pins = new PinVerifier();
        pins.Load(new PinVerificationKey(FakeLedger.DemoPinVerificationKey, 1));
        MeterFactory = _metricsProvider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        Violations = new ThrottledViolations(
            violationThrottle ?? new ViolationThrottleOptions(), Ledger, metrics, Time, NullLogger<ThrottledViolations>.Instance);
        _session = SessionPipeline.Compose(
            Ledger,
            pins,
            Options,
            Time,
            NullLoggerFactory.Instance,
            metrics,
            keyExchanges: keyExchanges,
            acceptRequestsWithoutTrack2: acceptRequestsWithoutTrack2,
            violations: Violations,
            terminalsWithoutMacOnAnyConnection: terminalsWithoutMacOnAnyConnection,
            presence: Presence = new TerminalPresence(Time))
            .Open(1, _pipes.Host, mayServeTerminal, remoteAddress: remoteAddress);
        Running = Task.Run(_session.RunAsync);
    }

    public FakeLedger Ledger { get; }

    /// <summary>The pipeline's list of signed-on terminals, as the operations console reads it.</summary>
    public TerminalPresence Presence { get; }

    public ListenerOptions Options { get; }

    public FakeTimeProvider Time { get; }

    /// <summary>The session pipeline's throttle of security violations.</summary>
    public ThrottledViolations Violations { get; }

    /// <summary>The factory of the pipeline's meters (for SocketAtm.Testing's CounterTotals).</summary>
    public System.Diagnostics.Metrics.IMeterFactory MeterFactory { get; }

    /// <summary>Completes when the session has ended.</summary>
    public Task Running { get; }

    public TerminalSession Session => _session;

    public async Task SendAsync(IsoMessage message)
    {
        FrameWriter.WriteFrame(_pipes.Terminal.Output, message);
        await _pipes.Terminal.Output.FlushAsync();
    }

    public async Task SendRawAsync(byte[] bytes)
    {
        await _pipes.Terminal.Output.WriteAsync(bytes);
    }

    /// <summary>Writes a message to the host's input without flushing it: the session cannot see it until <see cref="FlushAsync"/>.</summary>
    public void WriteUnflushed(IsoMessage message) => FrameWriter.WriteFrame(_pipes.Terminal.Output, message);

    public async Task FlushAsync() => await _pipes.Terminal.Output.FlushAsync();

    public Task CloseTerminalSideAsync() => _pipes.Terminal.Output.CompleteAsync().AsTask();

    /// <summary>Reads the next response frame, or null when the host closed the connection.</summary>
    public async Task<IsoMessage?> ReceiveAsync(TimeSpan? timeout = null)
    {
        var reader = new LengthPrefixedFrameReader(LengthPrefixedFrameReader.DefaultMaxFrameLength);
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var result = await _pipes.Terminal.Input.ReadAsync(cts.Token);
            var buffer = result.Buffer;
            if (reader.TryReadFrame(ref buffer, out var payload, out _) == FrameReadStatus.Frame)
            {
                var message = new IsoMessage();
                Assert.True(IsoMessageParser.TryParse(payload, message, out var error), error.ToString());
                _pipes.Terminal.Input.AdvanceTo(buffer.Start);
                return message;
            }

            _pipes.Terminal.Input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                return null;
            }
        }
    }

    /// <summary>True when the host has closed its side and nothing more will arrive.</summary>
    public async Task<bool> HostClosedAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var result = await _pipes.Terminal.Input.ReadAsync(cts.Token);
            _pipes.Terminal.Input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return true;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _session.Abort();
        await _pipes.Terminal.Output.CompleteAsync();
        await Running.WaitAsync(TimeSpan.FromSeconds(10));
        _session.Dispose();
        await _metricsProvider.DisposeAsync();
    }
}
