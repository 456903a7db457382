using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SocketAtm.Load.Hosting;

namespace SocketAtm.Load.Viewers;

/// <summary>
/// The operations port's share of a run (<c>--console-viewers N</c>): from <see cref="Start"/> to <see cref="StopAsync"/>
/// (the measured window), N viewers each hold one GET /console/events open and read every event as a browser would —
/// each frame's data JSON-parsed into objects, as JSON.parse does, so that the cost is real — and one scraper GETs
/// /metrics every second. Viewer i watches host i mod hosts; the scraper asks every host each second. All of it over
/// one HttpClient, in this process. The credential, if the hosts need one, is the hosts' own variable
/// <see cref="TokenVariable"/> (which the hosts the harness starts inherit too); without it, the loopback default admits all.
/// </summary>
internal sealed class ConsoleViewerLoad : IAsyncDisposable
{
    public const string TokenVariable = "SOCKETATM_Operations__Token";

    private const string EventsPath = "/console/events";
    private const string MetricsPath = "/metrics";
    private const string FrameEvent = "frame";
    private const int MaxProblemKinds = 20;
    private static readonly TimeSpan ScrapeInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ScrapeTimeout = TimeSpan.FromSeconds(5);

    private readonly IReadOnlyList<Uri> _operations;
    private readonly int _viewers;
    private readonly HttpClient _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, int> _problems = new(StringComparer.Ordinal);
    private readonly List<Task> _running = [];
    private long _started;
    private long _stopped;
    private int _connected;
    private int _refused;
    private int _failed;
    private int _dropped;
    private long _frames;
    private int _scrapes;
    private int _scrapesAnswered;

    /// <param name="operations">Each host's operations address, as its "Operations on" line gives it.</param>
    public ConsoleViewerLoad(IReadOnlyList<Uri> operations, int viewers)
    {
        ArgumentOutOfRangeException.ThrowIfZero(operations.Count);
        _operations = operations;
        _viewers = viewers;
        var handler = new SocketsHttpHandler
        {
            // Every viewer holds a connection of its own for the whole window, and the scraper needs one more per host.
            MaxConnectionsPerServer = viewers + 2,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            AutomaticDecompression = DecompressionMethods.None,
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        if (Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } token)
        {
            _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Trim());
        }
    }

    /// <summary>Viewers on the operations address each host logged (see <see cref="ChildProcess.WaitForOperationsAddressAsync"/>).</summary>
    /// <exception cref="InvalidOperationException">A host logged none within <paramref name="timeout"/> (its operations port is off).</exception>
    public static async Task<ConsoleViewerLoad> ForHostsAsync(IReadOnlyList<StartedHost> hosts, int viewers, TimeSpan timeout, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(log);
        var addresses = await Task.WhenAll(hosts.Select(host => host.Process.WaitForOperationsAddressAsync(timeout)));
        if (Array.FindIndex(addresses, address => address is null) is var missing and >= 0)
        {
            throw new InvalidOperationException($"--console-viewers needs the operations port, but host {missing + 1} did not say where it serves it (Operations:Enabled=false?).");
        }

        List<Uri> operations = [.. addresses.Select(address => address!)];
        await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{viewers:N0} console viewers and a /metrics scrape a second on {string.Join(", ", operations.Select(address => address.GetLeftPart(UriPartial.Authority)))} during the measured window."));
        return new ConsoleViewerLoad(operations, viewers);
    }

    /// <summary>Opens the viewers and starts the scraper; returns at once.</summary>
    public void Start()
    {
        _started = Stopwatch.GetTimestamp();
        for (var index = 0; index < _viewers; index++)
        {
            var address = _operations[index % _operations.Count];
            _running.Add(Task.Run(() => WatchAsync(address, _stop.Token)));
        }

        _running.Add(Task.Run(() => ScrapeAsync(_stop.Token)));
    }

    /// <summary>Closes the viewers and the scraper and says what they got.</summary>
    public async Task<ConsoleViewersResult> StopAsync()
    {
        _stopped = Stopwatch.GetTimestamp();
        await _stop.CancelAsync();
        await Task.WhenAll(_running);
        return new ConsoleViewersResult
        {
            Asked = _viewers,
            Connected = _connected,
            Refused = _refused,
            Failed = _failed,
            Dropped = _dropped,
            Frames = Interlocked.Read(ref _frames),
            Seconds = Stopwatch.GetElapsedTime(_started, _stopped).TotalSeconds,
            Scrapes = _scrapes,
            ScrapesAnswered = _scrapesAnswered,
            Problems = new SortedDictionary<string, int>(_problems, StringComparer.Ordinal),
        };
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        await Task.WhenAll(_running);
        _client.Dispose();
        _stop.Dispose();
    }

    private async Task WatchAsync(Uri address, CancellationToken stop)
    {
        var connected = false;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(address, EventsPath));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                Interlocked.Increment(ref response.StatusCode == HttpStatusCode.ServiceUnavailable ? ref _refused : ref _failed);
                Problem(string.Create(CultureInfo.InvariantCulture, $"{EventsPath} answered {(int)response.StatusCode}"));
                return;
            }

            connected = true;
            Interlocked.Increment(ref _connected);
            await using var body = await response.Content.ReadAsStreamAsync(stop);
            using var reader = new StreamReader(body, Encoding.UTF8);
            var events = new EventStream(reader);
            while (await events.ReadAsync(stop) is { } received)
            {
                // As the page's JSON.parse: every frame becomes objects, and a frame that does not parse is a problem.
                _ = JsonNode.Parse(received.Data);
                if (received.Name == FrameEvent)
                {
                    Interlocked.Increment(ref _frames);
                }
            }

            Interlocked.Increment(ref _dropped);
            Problem($"{EventsPath} ended before the window did");
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The window ended: the viewer closes its page.
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or JsonException)
        {
            Interlocked.Increment(ref connected ? ref _dropped : ref _failed);
            Problem($"{EventsPath}: {exception.GetType().Name}: {exception.Message}");
        }
    }

    private async Task ScrapeAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(ScrapeInterval);
        try
        {
            do
            {
                foreach (var address in _operations)
                {
                    await ScrapeOnceAsync(address, stop);
                }
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The window ended.
        }
    }

    private async Task ScrapeOnceAsync(Uri address, CancellationToken stop)
    {
        Interlocked.Increment(ref _scrapes);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
        deadline.CancelAfter(ScrapeTimeout);
        try
        {
            using var response = await _client.GetAsync(new Uri(address, MetricsPath), deadline.Token);
            _ = await response.Content.ReadAsStringAsync(deadline.Token);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Interlocked.Increment(ref _scrapesAnswered);
            }
            else
            {
                Problem(string.Create(CultureInfo.InvariantCulture, $"{MetricsPath} answered {(int)response.StatusCode}"));
            }
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            Problem($"{MetricsPath} took over {ScrapeTimeout.TotalSeconds:F0} s");
        }
        catch (HttpRequestException exception)
        {
            Problem($"{MetricsPath}: {exception.Message}");
        }
    }

    /// <summary>Counts a reason; a bounded number of kinds (an error message may carry a changing detail).</summary>
    private void Problem(string reason)
    {
        if (_problems.Count < MaxProblemKinds || _problems.ContainsKey(reason))
        {
            _problems.AddOrUpdate(reason, 1, (_, count) => count + 1);
        }
    }
}
