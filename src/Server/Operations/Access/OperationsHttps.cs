using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using SocketAtm.Server.Transport;

namespace SocketAtm.Server.Operations.Access;

/// <summary>
/// The operations port's TLS, from <see cref="OperationsTlsOptions"/>: TLS 1.2 or 1.3 only, the certificate and its
/// intermediates loaded as the terminal port loads them, and with a client authority configured, a client certificate
/// asked for but not required (<see cref="ClientCertificateCredential"/> decides whether it is a credential).
/// </summary>
internal sealed class OperationsHttps : IDisposable
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    private OperationsHttps(ServerCertificate certificate, X509Certificate2Collection? clientAuthorities)
    {
        Certificate = certificate;
        ClientAuthorities = clientAuthorities;
    }

    public ServerCertificate Certificate { get; }

    /// <summary>The bundle client certificates must chain to; null without mutual TLS.</summary>
    public X509Certificate2Collection? ClientAuthorities { get; }

    /// <summary>Null when <paramref name="options"/> turn TLS off. The files were checked at validation; a failure now is a start failure.</summary>
    public static OperationsHttps? Load(OperationsTlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.IsEnabled)
        {
            return null;
        }

        var certificate = options.LoadServerCertificate();
        try
        {
            return new OperationsHttps(certificate, options.AcceptsClientCertificates ? options.LoadAuthorities() : null);
        }
        catch
        {
            certificate.Dispose();
            throw;
        }
    }

    public void Apply(ListenOptions listen)
    {
        ArgumentNullException.ThrowIfNull(listen);
        listen.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificate = Certificate.Certificate,
            ServerCertificateChain = Certificate.Intermediates,
            SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            HandshakeTimeout = HandshakeTimeout,
            CheckCertificateRevocation = false,
            ClientCertificateMode = ClientAuthorities is null ? ClientCertificateMode.NoCertificate : ClientCertificateMode.AllowCertificate,

            // Any certificate (or none) completes the handshake; whether it is a credential is decided against the bundle
            // alone, per connection, by ClientCertificateCredential (the machine's trust store never counts).
            ClientCertificateValidation = static (_, _, _) => true,
        });
    }

    public void Dispose()
    {
        Certificate.Dispose();
        if (ClientAuthorities is not null)
        {
            TlsCertificates.DisposeAll(ClientAuthorities);
        }
    }
}
