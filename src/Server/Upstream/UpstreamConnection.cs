using System.Net.Sockets;
using System.Security.Authentication;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Server.Diagnostics;
using SocketAtm.Server.Routing;

namespace SocketAtm.Server.Upstream;

/// <summary>
/// One of a route's connections, kept up for the host's lifetime: it connects to the route's endpoints in fail-over
/// order, signs on (0800/001) before carrying traffic, echoes (0800/301) when nothing was received for the echo
/// interval and drops the connection when an echo goes unanswered, and after any drop or failed round waits
/// <see cref="ReconnectBackoff"/> before trying again from the first endpoint.
/// </summary>
internal sealed class UpstreamConnection(IssuerRoute route, int number)
{
    private LinkSession? _signedOn;

    public int Number { get; } = number;

    /// <summary>The open, signed-on session, or null while connecting or backing off.</summary>
    public LinkSession? SignedOn
    {
        get
        {
            var session = Volatile.Read(ref _signedOn);
            return session is { Closed.IsCompleted: false } ? session : null;
        }
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        var context = route.Context;
        var round = 0;
        while (!stopping.IsCancellationRequested)
        {
            foreach (var endpoint in route.Endpoints)
            {
                LinkSession session;
                try
                {
                    session = await OpenAsync(endpoint, stopping);
                }
                catch (Exception exception) when (IsConnectFailure(exception) && !stopping.IsCancellationRequested)
                {
                    if (context.ShouldLog(endpoint.ToString(), "connect_failed"))
                    {
                        UpstreamLog.ConnectFailed(context.Logger, context.Name, Number, endpoint.ToString(), Describe(exception));
                    }

                    continue;
                }
                catch (Exception exception) when (IsConnectFailure(exception))
                {
                    return;
                }

                round = 0;
                await ServeAsync(session, stopping);
                break;
            }

            try
            {
                await Task.Delay(route.Backoff.Delay(round), context.Time, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            round++;
        }
    }

    /// <summary>Sends the sign-off (0800/002) on a signed-on connection and waits for its answer up to <paramref name="timeout"/>.</summary>
    public async Task SignOffAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (SignedOn is not { } session)
        {
            return;
        }

        var request = route.NetworkManagement(NetworkManagementCodes.SignOff);
        var (_, answer) = await session.ExchangeAsync(request, CorrelationKey.OfRequest(request), ReadOnlyMemory<byte>.Empty, timeout, cancellationToken);
        if (answer is not null)
        {
            UpstreamLog.SignedOff(route.Context.Logger, route.Name, Number, session.Endpoint);
        }
    }

    private async Task<LinkSession> OpenAsync(IssuerEndpoint endpoint, CancellationToken stopping)
    {
        var stream = await UpstreamTransport.ConnectAsync(endpoint, route.Tls, route.Timeout, stopping);
        var session = new LinkSession(stream, route.Context, endpoint.ToString());
        session.Start();
        route.Context.State.Connected(Number);
        try
        {
            var signOn = route.NetworkManagement(NetworkManagementCodes.SignOn);
            var (reply, answer) = await session.ExchangeAsync(signOn, CorrelationKey.OfRequest(signOn), ReadOnlyMemory<byte>.Empty, route.Timeout, stopping);
            if (answer is null)
            {
                throw new UpstreamLinkException("no answer to the sign-on: " + reply);
            }

            if (!NetworkManagementRequests.IsAccepted(signOn, answer))
            {
                throw new UpstreamLinkException("the sign-on was refused: " + NetworkManagementRequests.Describe(answer));
            }

            return session;
        }
        catch
        {
            await session.DisposeAsync();
            route.Context.State.Disconnected(Number, wasSignedOn: false);
            throw;
        }
    }

    /// <summary>Carries traffic on a signed-on session until it drops or the host stops.</summary>
    private async Task ServeAsync(LinkSession session, CancellationToken stopping)
    {
        var context = route.Context;
        Volatile.Write(ref _signedOn, session);
        // Metrics first, the state last: whoever watches the state (admin, tests) then sees the counters already moved.
        context.Metrics.LinkUp(context.Name);
        context.State.SignedOn(Number, session.Endpoint);
        UpstreamLog.SignedOn(context.Logger, context.Name, Number, session.Endpoint);
        string reason;
        using (stopping.Register(static state => ((LinkSession)state!).Drop("the host is stopping"), session))
        {
            var echoes = EchoWhileIdleAsync(session);
            reason = await session.Closed;
            await echoes;
        }

        Volatile.Write(ref _signedOn, null);
        await session.DisposeAsync();
        context.Metrics.LinkDown(context.Name);
        context.State.Disconnected(Number, wasSignedOn: true);
        if (!stopping.IsCancellationRequested)
        {
            UpstreamLog.LinkLost(context.Logger, context.Name, Number, session.Endpoint, reason);
        }
    }

    private async Task EchoWhileIdleAsync(LinkSession session)
    {
        try
        {
            while (!session.Closed.IsCompleted)
            {
                var idle = session.Idle;
                if (idle < route.EchoInterval)
                {
                    await Task.Delay(route.EchoInterval - idle, route.Context.Time, session.Closing);
                    continue;
                }

                var echo = route.NetworkManagement(NetworkManagementCodes.Echo);
                var (reply, answer) = await session.ExchangeAsync(echo, CorrelationKey.OfRequest(echo), ReadOnlyMemory<byte>.Empty, route.Timeout, session.Closing);
                if (answer is null && reply.TimedOutReason == TimedOutReason.Timeout)
                {
                    session.Drop($"the echo was not answered within {route.Timeout:c}");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The session dropped while waiting.
        }
        catch (ObjectDisposedException)
        {
            // Disposed while waiting.
        }
    }

    private static bool IsConnectFailure(Exception exception) =>
        exception is SocketException or IOException or OperationCanceledException or AuthenticationException or UpstreamLinkException or ObjectDisposedException;

    private static string Describe(Exception exception) => exception switch
    {
        OperationCanceledException => "no connection within the route's timeout",
        _ => exception.Message.ReplaceLineEndings(" "),
    };
}
