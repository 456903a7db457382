using System.Net.Security;
using System.Net.Sockets;
using SocketAtm.Server.Routing;

namespace SocketAtm.Server.Upstream;

/// <summary>Opens the byte stream to one issuer endpoint: TCP (no Nagle: frames are small and waited for), then TLS when the route has it.</summary>
internal static class UpstreamTransport
{
    /// <exception cref="SocketException">The endpoint refused or could not be reached.</exception>
    /// <exception cref="OperationCanceledException">Not connected (and handshaken) within <paramref name="timeout"/>, or stopping.</exception>
    public static async Task<Stream> ConnectAsync(IssuerEndpoint endpoint, UpstreamTlsCertificates? tls, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream stream;
        try
        {
            await socket.ConnectAsync(endpoint.Host, endpoint.Port, deadline.Token);
            stream = new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        if (tls is null)
        {
            return stream;
        }

        var secure = new SslStream(stream, leaveInnerStreamOpen: false);
        try
        {
            await secure.AuthenticateAsClientAsync(tls.ClientOptions(endpoint), deadline.Token);
            return secure;
        }
        catch
        {
            await secure.DisposeAsync();
            throw;
        }
    }
}
