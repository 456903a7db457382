using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog.Core;
using Serilog.Events;
using SocketAtm.Server.Hosting;
using SocketAtm.Server.Transport;

namespace SocketAtm.EndToEnd.Tests;

/// <summary>
/// The real host started with TLS settings, capturing its own log lines and the values of its own instruments (other
/// hosts running in parallel tests are not counted).
/// </summary>
internal sealed class TlsHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly string _dataDirectory;
    private readonly MeterListener _meters = new();
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);

    private TlsHost(IHost host, string dataDirectory, LogCapture logs)
    {
        _host = host;
        _dataDirectory = dataDirectory;
        Logs = logs;
        var factory = host.Services.GetRequiredService<IMeterFactory>();
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var key = instrument.Name;
            foreach (var tag in tags)
            {
                if (tag.Key == "reason")
                {
                    key += "/" + tag.Value;
                }
            }

            _counts.AddOrUpdate(key, value, (_, total) => total + value);
        });
        _meters.Start();
    }

    public IPEndPoint EndPoint => _host.Services.GetRequiredService<TerminalListener>().BoundEndPoint!;

    public LogCapture Logs { get; }

    public static async Task<TlsHost> StartAsync(params string[] settings)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "socketatm-e2e-" + Guid.NewGuid().ToString("N"));
        var logs = new LogCapture();
        string[] args = ["--port", "0", "--data", dataDirectory, "--Serilog:MinimumLevel:Default=Information", .. settings];
        var host = ServerHost.Build(args, builder => builder.Services.AddSingleton<ILogEventSink>(logs));
        await host.StartAsync();
        return new TlsHost(host, dataDirectory, logs);
    }

    /// <summary>The total recorded on a counter, e.g. "socketatm.tls.handshakes.failed/timeout".</summary>
    public long Count(string instrumentAndReason) => _counts.GetValueOrDefault(instrumentAndReason);

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

    /// <summary>A graceful stop, as on Ctrl-C.</summary>
    public Task StopAsync() => _host.StopAsync();

    public async ValueTask DisposeAsync()
    {
        _meters.Dispose();
        await _host.StopAsync();
        _host.Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory left behind is harmless.
        }
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
