using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace SocketAtm.Server.Operations;

/// <summary>What Kestrel runs per HTTP request of the operations side: a fresh context over the request's features, and the pipeline.</summary>
internal sealed class OperationsApplication(RequestDelegate pipeline, IServiceProvider services) : IHttpApplication<HttpContext>
{
    public HttpContext CreateContext(IFeatureCollection contextFeatures) =>
        new DefaultHttpContext(contextFeatures) { RequestServices = services };

    public Task ProcessRequestAsync(HttpContext context) => pipeline(context);

    public void DisposeContext(HttpContext context, Exception? exception)
    {
        // Nothing per request to release: the context owns no scope.
    }
}
