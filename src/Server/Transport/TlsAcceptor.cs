using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using SocketAtm.Server.Diagnostics;

namespace SocketAtm.Server.Transport;

/// <summary>
/// Runs the server side of the TLS handshake on an accepted connection: TLS 1.2 or 1.3 only, bounded in time, with an
/// optional client certificate that must chain to the configured authorities. A failed handshake is logged once and
/// counted, and only closes that connection.
/// </summary>
internal sealed class TlsAcceptor : IDisposable
{
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2", "Client Authentication");

    private readonly TlsOptions _options;
    private readonly ServerCertificate _certificate;
    private readonly SslStreamCertificateContext _certificateContext;
    private readonly X509Certificate2Collection? _authorities;
    private readonly AtmMetrics _metrics;
    private readonly ILogger _logger;
    private readonly int _bufferLimit;

    public TlsAcceptor(TlsOptions options, int bufferLimit, AtmMetrics metrics, ILogger logger)
    {
        _options = options;
        _bufferLimit = bufferLimit;
        _metrics = metrics;
        _logger = logger;
        _certificate = TlsCertificates.LoadServerCertificate(options);
        _certificateContext = SslStreamCertificateContext.Create(_certificate.Certificate, _certificate.Intermediates, offline: true);
        if (options.RequireClientCertificate)
        {
            // Validation refuses to start without a bundle; never fall back to the machine's trust store here either.
            _authorities = TlsCertificates.LoadAuthorities(
                options.ClientCertificateAuthorityPath ?? throw new InvalidDataException("Listener:Tls:ClientCertificateAuthorityPath is required with Listener:Tls:RequireClientCertificate."));
        }
    }

    /// <summary>The server certificate, for the start-up log line.</summary>
    public X509Certificate2 Certificate => _certificate.Certificate;

    /// <summary>
    /// The authenticated connection, or null when the handshake failed (already logged and counted; the caller only
    /// closes the socket).
    /// </summary>
    public async Task<TlsConnection?> AuthenticateAsync(ConnectionContext connection, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var ciphertext = new DuplexPipeStream(connection.Transport);
        var tls = new SslStream(ciphertext, leaveInnerStreamOpen: true);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        deadline.CancelAfter(_options.HandshakeTimeout);
        string reason;
        string detail;
        try
        {
            await tls.AuthenticateAsServerAsync(CreateOptions(), deadline.Token);
            var bound = BindTerminals(tls);
            if (bound is { Count: 0 })
            {
                reason = "no_terminal_in_certificate";
                detail = "the client certificate names no terminal id (subject CN or DNS subject alternative name)";
            }
            else
            {
                Log.TlsEstablished(
                    _logger,
                    tls.SslProtocol.ToString(),
                    tls.NegotiatedCipherSuite.ToString(),
                    tls.RemoteCertificate?.Subject ?? "none",
                    bound is null ? "any" : string.Join(",", bound.Order(StringComparer.Ordinal)));
                return new TlsConnection(tls, ciphertext, () => connection.Abort(new ConnectionAbortedException("TLS close timed out.")), bound, _bufferLimit);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            (reason, detail) = stopping.IsCancellationRequested
                ? ("host_stopping", "the host is stopping")
                : ("timeout", $"not completed within {_options.HandshakeTimeout}");
        }
        catch (AuthenticationException exception)
        {
            (reason, detail) = ("rejected", Describe(exception));
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException)
        {
            (reason, detail) = ("connection_lost", Describe(exception));
        }
        catch (Exception exception)
        {
            // Whatever else a hostile or broken peer can provoke ends this connection only, never the listener.
            (reason, detail) = ("failed", Describe(exception));
        }

        _metrics.TlsHandshakeFailed(reason);
        Log.TlsHandshakeFailed(_logger, connection.RemoteEndPoint?.ToString(), reason, detail);
        await tls.DisposeAsync();
        await ciphertext.DisposeAsync();
        return null;
    }

    public void Dispose()
    {
        _certificate.Dispose();
        if (_authorities is not null)
        {
            TlsCertificates.DisposeAll(_authorities);
        }
    }

    /// <summary>The exception's own words and its causes', on one line (they name no key or card data).</summary>
    private static string Describe(Exception exception)
    {
        var words = exception.Message;
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            words += " -> " + inner.Message;
        }

        return words.ReplaceLineEndings(" ");
    }

    private SslServerAuthenticationOptions CreateOptions()
    {
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = _certificateContext,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ClientCertificateRequired = _options.RequireClientCertificate,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            AllowRenegotiation = false,
        };

        if (_options.RequireClientCertificate)
        {
            var policy = new X509ChainPolicy { RevocationMode = X509RevocationMode.NoCheck };
            policy.ApplicationPolicy.Add(ClientAuthentication);

            // A chain is built from what the terminal sent and the bundle only: no fetching of certificates from addresses
            // a hostile certificate names.
            policy.DisableCertificateDownloads = true;

            // Only the configured bundle is trusted (CustomRootTrust ignores the machine's roots), so a certificate from
            // any other authority, however widely trusted, is refused.
            policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            policy.CustomTrustStore.AddRange(_authorities!);

            options.CertificateChainPolicy = policy;

            // The chain policy above already decided; any error (none sent, untrusted, expired, wrong usage) refuses.
            options.RemoteCertificateValidationCallback = static (_, certificate, _, errors) => certificate is not null && errors == SslPolicyErrors.None;
        }

        return options;
    }

    /// <summary>The terminals the client certificate names when binding applies; null when the connection may speak for any terminal.</summary>
    private IReadOnlySet<string>? BindTerminals(SslStream tls)
    {
        if (!_options.RequireClientCertificate || !_options.BindTerminalsToClientCertificate)
        {
            return null;
        }

        if (tls.RemoteCertificate is null)
        {
            return new HashSet<string>();
        }

        if (tls.RemoteCertificate is X509Certificate2 certificate)
        {
            return ClientCertificateTerminals.Read(certificate);
        }

        using var copy = X509CertificateLoader.LoadCertificate(tls.RemoteCertificate.GetRawCertData());
        return ClientCertificateTerminals.Read(copy);
    }
}
