using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using SocketAtm.Server.Diagnostics;
using SocketAtm.Server.Hosting;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Security;
using SocketAtm.Server.Sessions;
using SocketAtm.Server.Tests.Sessions;
using SocketAtm.Server.Transport;
using SocketAtm.Testing;

namespace SocketAtm.Server.Tests.Transport;

/// <summary>
/// The session pipeline the listener shares between connections (routes, dispatcher, context pool, metrics, clock),
/// composed as the host composes it but over a fake ledger and recording loggers, opening real
/// <see cref="TerminalSession"/>s over in-memory pipes one after another.
/// Its own instruments are measured (other tests' meters are not).
/// </summary>
internal sealed class SessionFactory : IAsyncDisposable
{
    private readonly ServiceProvider _metricsProvider;
    private readonly ILoggerFactory _loggers;
    private readonly SessionServices _services;
    private readonly CounterTotals _counters;
    private long _nextId;

    public SessionFactory(ListenerOptions options, RecordingLoggerProvider logs)
    {
        Options = options;
        Logs = logs;
        _loggers = logs.CreateFactory();
        Ledger = new FakeLedger();
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
        _metricsProvider = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = _metricsProvider.GetRequiredService<IMeterFactory>();
        var metrics = new AtmMetrics(meterFactory);
        var pins = new PinVerifier();
        pins.Load(new PinVerificationKey(FakeLedger.DemoPinVerificationKey, 1));
        _services = SessionPipeline.Compose(Ledger, pins, options, Time, _loggers, metrics);
        _counters = new CounterTotals(meterFactory);
    }

    public ListenerOptions Options { get; }

    public RecordingLoggerProvider Logs { get; }

    public FakeLedger Ledger { get; }

    public FakeTimeProvider Time { get; }

    /// <summary>The total of counter measurements whose name and tags start with <paramref name="prefix"/>, e.g. "socketatm.frames.rejected/reason=frame_too_large".</summary>
    public long Count(string prefix) => _counters.Count(prefix);

    public LiveSession Open() => new(Interlocked.Increment(ref _nextId), _services);

    public async ValueTask DisposeAsync()
    {
        _counters.Dispose();
        _loggers.Dispose();
        await _metricsProvider.DisposeAsync();
    }
}
