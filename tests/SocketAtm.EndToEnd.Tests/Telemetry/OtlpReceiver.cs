using System.Collections.Concurrent;
using System.Net;

namespace SocketAtm.EndToEnd.Tests.Telemetry;

/// <summary>
/// A stand-in OTLP/HTTP collector on a free loopback port: it answers every POST 200 with an empty body and keeps what was
/// posted, by path (<c>/v1/traces</c>, <c>/v1/logs</c>, whatever a host posts to). OTLP's protobuf carries strings as raw
/// UTF-8, so a test can search a body for a span name, a log message or a PAN.
/// </summary>
internal sealed class OtlpReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<(string Path, byte[] Body)> _posts = new();
    private readonly Task _serving;

    public OtlpReceiver()
    {
        Port = FreeTcpPort.Take();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public int Port { get; }

    /// <summary>The base address a host is given (it appends /v1/traces and /v1/logs).</summary>
    public string Endpoint => $"http://127.0.0.1:{Port}";

    public IReadOnlyList<byte[]> BodiesPostedTo(string path) => [.. _posts.Where(post => post.Path == path).Select(post => post.Body)];

    /// <summary>Waits until the bodies posted to <paramref name="path"/>, together, satisfy <paramref name="condition"/>.</summary>
    public async Task<byte[]> WaitForAsync(string path, Func<byte[], bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var all = BodiesPostedTo(path).SelectMany(body => body).ToArray();
            if (condition(all))
            {
                return all;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"No OTLP export to {path} within {timeout} satisfied the condition; {BodiesPostedTo(path).Count} bodies arrived.");
            }

            await Task.Delay(50);
        }
    }

    public void Dispose()
    {
        _listener.Close();
        try
        {
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The listener closed under a pending accept: the loop ends.
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            _posts.Enqueue((context.Request.Url!.AbsolutePath, body.ToArray()));
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }
}
