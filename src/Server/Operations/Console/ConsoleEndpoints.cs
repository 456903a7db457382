using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace SocketAtm.Server.Operations.Console;

/// <summary>
/// The console under <c>/console</c>: the page and its files, and <c>/console/events</c>, the live feed as server-sent
/// events. Read-only (GET only). Every response forbids framing and sniffing, and the page may load only its own files.
/// </summary>
internal sealed class ConsoleEndpoints(ConsoleAssets assets, ConsoleFigures figures, ConsoleViewers viewers)
{
    public const string BasePath = "/console";
    public const string EventsPath = "/events";
    private const string IndexFile = "index.html";

    /// <summary>Reconnect hint for the browser's EventSource after a drop (milliseconds).</summary>
    private const int ReconnectMilliseconds = 3000;

    /// <summary>Handles a request under <see cref="BasePath"/> (its path already stripped of it).</summary>
    /// <param name="stillAdmitted">Asked before every frame of the live feed: false (signed out, session expired) ends it.</param>
    public Task HandleAsync(HttpContext context, Func<HttpContext, bool> stillAdmitted)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.Response;
        response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        response.Headers[HeaderNames.XFrameOptions] = "DENY";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers[HeaderNames.ContentSecurityPolicy] =
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            response.Headers[HeaderNames.Allow] = "GET, HEAD";
            return Task.CompletedTask;
        }

        var path = context.Request.Path.Value ?? string.Empty;
        if (path.Length == 0)
        {
            // /console → /console/: the page's relative links resolve under it.
            response.StatusCode = StatusCodes.Status308PermanentRedirect;
            response.Headers[HeaderNames.Location] = BasePath + "/";
            return Task.CompletedTask;
        }

        if (path == EventsPath)
        {
            return StreamAsync(context, stillAdmitted);
        }

        return ServeFileAsync(context, path is "/" ? IndexFile : path[1..]);
    }

    private async Task ServeFileAsync(HttpContext context, string file)
    {
        if (!assets.TryGet(file, out var content, out var contentType))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.ContentType = contentType;
        context.Response.ContentLength = content.Length;
        context.Response.Headers[HeaderNames.CacheControl] = "no-cache";
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(content, context.RequestAborted);
        }
    }

    private async Task StreamAsync(HttpContext context, Func<HttpContext, bool> stillAdmitted)
    {
        var viewer = viewers.TryJoin();
        if (viewer is null)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers[HeaderNames.RetryAfter] = "10";
            return;
        }

        using (viewer)
        {
            using var watching = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, viewer.Dropped);
            var response = context.Response;
            response.ContentType = "text/event-stream";
            response.Headers[HeaderNames.CacheControl] = "no-store";
            try
            {
                await response.Body.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"retry: {ReconnectMilliseconds}\n\n"), watching.Token);
                await response.Body.WriteAsync(ConsoleFrames.History(figures.History()), watching.Token);
                await response.Body.FlushAsync(watching.Token);
                await foreach (var frame in viewer.Frames.ReadAllAsync(watching.Token))
                {
                    if (!stillAdmitted(context))
                    {
                        // The browser reconnects, and is then refused: its page says so.
                        break;
                    }

                    await response.Body.WriteAsync(frame, watching.Token);
                    await response.Body.FlushAsync(watching.Token);
                }
            }
            catch (OperationCanceledException)
            {
                // The browser left, or fell behind and was dropped.
            }
            finally
            {
                var dropped = viewer.Dropped.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested;
                viewers.Leave(viewer);
                if (dropped)
                {
                    // What it had not read stays in no buffer of ours: the connection goes with it.
                    context.Abort();
                }
            }
        }
    }
}
