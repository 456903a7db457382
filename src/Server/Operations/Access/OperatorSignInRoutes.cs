using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SocketAtm.Server.Operations.Access;

/// <summary>The sign-in routes in a hand-built operations pipeline.</summary>
internal static class OperatorSignInRoutes
{
    /// <summary>Maps <c>/sign-in</c> (GET, POST) and <c>/sign-out</c> (POST); put it before the guarded routes.</summary>
    public static IApplicationBuilder MapOperatorSignIn(this IApplicationBuilder app, OperatorAccess access)
    {
        ArgumentNullException.ThrowIfNull(app);
        var signIn = new OperatorSignIn(access);
        app.Map(OperatorSignIn.SignInPath, branch => branch.Run(context => ExactlyThere(context, signIn.SignInAsync)));
        app.Map(OperatorSignIn.SignOutPath, branch => branch.Run(context => ExactlyThere(context, signIn.SignOutAsync)));
        return app;
    }

    private static Task ExactlyThere(HttpContext context, RequestDelegate route)
    {
        if (context.Request.Path.HasValue && context.Request.Path != "/")
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        return route(context);
    }
}
