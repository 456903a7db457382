using System.IO.Pipelines;
using System.Net;
using Microsoft.Extensions.Logging;
using SocketAtm.Server.Diagnostics;

namespace SocketAtm.Server.Transport;

/// <summary>
/// Behind a proxy (<see cref="ListenerOptions.ProxyProtocol"/> On): admits connections only from the trusted proxies and
/// reads the PROXY protocol header each begins with, bounded in size (<see cref="ProxyHeaderParser"/>) and in time
/// (<see cref="ListenerOptions.ProxyHeaderTimeout"/>). A refused connection or a bad header is logged once and counted
/// under socketatm.connections.refused, and only closes that connection. The bytes after the header are left in the
/// pipe for TLS or the session.
/// </summary>
internal sealed class ProxyProtocolAcceptor
{
    public const string UntrustedProxyReason = "untrusted_proxy";

    private readonly TrustedProxies _trusted;
    private readonly TimeSpan _timeout;
    private readonly AtmMetrics _metrics;
    private readonly ILogger _logger;

    public ProxyProtocolAcceptor(ListenerOptions options, AtmMetrics metrics, ILogger logger)
    {
        _trusted = TrustedProxies.Parse(options.TrustedProxies);
        _timeout = options.ProxyHeaderTimeout;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>For the start-up line.</summary>
    public string Describe() => _trusted.ToString();

    /// <summary>True when <paramref name="peer"/> is a trusted proxy; otherwise logged (the caller refuses the connection and counts it).</summary>
    public bool Admits(IPEndPoint? peer)
    {
        if (peer is not null && _trusted.Contains(peer.Address))
        {
            return true;
        }

        Log.UntrustedProxy(_logger, peer?.ToString());
        return false;
    }

    /// <summary>
    /// The header the proxy sent, its bytes consumed; null when the header was bad, late or cut off (logged and
    /// counted) or the host is stopping. The caller then only closes the connection.
    /// </summary>
    public async Task<ProxyHeader?> ReadHeaderAsync(PipeReader input, EndPoint? proxy, CancellationToken stopping)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        deadline.CancelAfter(_timeout);
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(deadline.Token);
                var buffer = result.Buffer;
                var status = ProxyHeaderParser.TryParse(buffer, out var header, out var error);
                if (status == ProxyHeaderStatus.Complete)
                {
                    input.AdvanceTo(buffer.GetPosition(header.Length));
                    return header;
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (status == ProxyHeaderStatus.Invalid)
                {
                    return Refuse(proxy, ReasonOf(error), DetailOf(error));
                }

                if (result.IsCompleted)
                {
                    return Refuse(proxy, "proxy_header_truncated", $"the connection closed after {buffer.Length} bytes of it");
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return stopping.IsCancellationRequested ? null : Refuse(proxy, "proxy_header_timeout", $"not complete within {_timeout}");
        }
        catch (IOException)
        {
            return Refuse(proxy, "proxy_header_truncated", "the connection was reset");
        }
    }

    private ProxyHeader? Refuse(EndPoint? proxy, string reason, string detail)
    {
        Log.ProxyHeaderRefused(_logger, proxy?.ToString(), reason, detail);
        _metrics.ConnectionRefused(reason);
        return null;
    }

    private static string ReasonOf(ProxyHeaderError error) => error switch
    {
        ProxyHeaderError.WrongSignature => "proxy_header_wrong_signature",
        ProxyHeaderError.Oversized => "proxy_header_oversized",
        _ => "proxy_header_malformed",
    };

    private static string DetailOf(ProxyHeaderError error) => error switch
    {
        ProxyHeaderError.WrongSignature => "the connection does not begin with a PROXY protocol signature (is the proxy sending send-proxy-v2?)",
        ProxyHeaderError.Oversized => "longer than a PROXY protocol header may be here",
        _ => "not a well-formed PROXY protocol v1 or v2 header",
    };
}
