using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;

namespace SocketAtm.EndToEnd.Tests;

/// <summary>
/// The real host started with TLS settings, capturing its own log lines and the values of its own instruments (other
/// hosts running in parallel tests are not counted).
/// </summary>
internal sealed class TlsHost : IAsyncDisposable
{
    private readonly RunningHost _host;
    private readonly CounterTotals _counters;

    private TlsHost(RunningHost host, LogCapture logs)
    {
        _host = host;
        Logs = logs;
        _counters = new CounterTotals(host.Services.GetRequiredService<IMeterFactory>());
    }

    public IPEndPoint EndPoint => _host.EndPoint;

    public LogCapture Logs { get; }

    public static async Task<TlsHost> StartAsync(params string[] settings)
    {
        var logs = new LogCapture();
        var host = await RunningHost.StartWithServicesAsync(
            services => services.AddSingleton<ILogEventSink>(logs), ["--Serilog:MinimumLevel:Default=Information", .. settings]);
        return new TlsHost(host, logs);
    }

    /// <summary>The total recorded on a counter, e.g. "socketatm.tls.handshakes.failed/reason=timeout".</summary>
    public long Count(string instrumentAndReason) => _counters.Count(instrumentAndReason);

    /// <summary>Waits (bounded) until the counter reaches <paramref name="expected"/>: the host records a failure just after closing.</summary>
    public async Task<long> CountWhenAsync(string instrumentAndReason, long expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Count(instrumentAndReason) < expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        return Count(instrumentAndReason);
    }

    /// <summary>A graceful stop, as on Ctrl-C; the counters still see what the host records as it closes.</summary>
    public Task StopAsync() => _host.StopGracefullyAsync();

    public async ValueTask DisposeAsync()
    {
        _counters.Dispose();
        await _host.DisposeAsync();
    }

    /// <summary>Every rendered log line with its properties.</summary>
    internal sealed class LogCapture : ILogEventSink
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public IEnumerable<string> Containing(string text) => Lines.Where(line => line.Contains(text, StringComparison.Ordinal));

        public void Emit(LogEvent logEvent)
        {
            using var text = new StringWriter();
            text.Write(logEvent.Level);
            text.Write(' ');
            logEvent.RenderMessage(text);
            foreach (var property in logEvent.Properties)
            {
                text.Write($" {property.Key}={property.Value}");
            }

            Lines.Enqueue(text.ToString());
        }
    }
}
