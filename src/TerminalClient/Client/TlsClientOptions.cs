using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace SocketAtm.Client;

/// <summary>
/// TLS towards a host that listens with TLS (PROTOCOL.md §2): the server certificate is checked against the system's
/// trust store or a CA bundle of your own; a client certificate is presented when the host requires mutual TLS.
/// </summary>
public sealed record TlsClientOptions
{
    /// <summary>Name the server certificate must carry; the host name or address connected to when null.</summary>
    public string? ServerName { get; init; }

    /// <summary>PEM bundle of the CA(s) the host's certificate must chain to, instead of the system's trust store.</summary>
    public string? CertificateAuthorityPath { get; init; }

    /// <summary>Client certificate for mutual TLS: a PFX/PKCS#12 file, or a PEM certificate with <see cref="ClientKeyPath"/>.</summary>
    public string? ClientCertificatePath { get; init; }

    /// <summary>PEM private key of a PEM <see cref="ClientCertificatePath"/>.</summary>
    public string? ClientKeyPath { get; init; }

    /// <summary>Password of a PFX client certificate.</summary>
    public string? ClientCertificatePassword { get; init; }

    /// <summary>Runs the TLS handshake over <paramref name="transport"/> (connected to <paramref name="host"/>) and returns the authenticated stream.</summary>
    public async Task<Stream> AuthenticateAsync(Stream transport, string host, CancellationToken cancellationToken)
    {
        X509ChainPolicy? chainPolicy = null;
        if (CertificateAuthorityPath is not null)
        {
            chainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            chainPolicy.CustomTrustStore.AddRange(LoadAuthorities(CertificateAuthorityPath));
        }

        var tls = new SslStream(transport, leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = ServerName ?? host,
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    ClientCertificates = ClientCertificatePath is null ? null : [LoadClientCertificate()],
                    CertificateChainPolicy = chainPolicy,
                },
                cancellationToken);
            return tls;
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }
    }

    private static X509Certificate2Collection LoadAuthorities(string path)
    {
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(path);
        return authorities;
    }

    private X509Certificate2 LoadClientCertificate()
    {
        var path = ClientCertificatePath!;
        if (ClientKeyPath is not null)
        {
            using var pem = X509Certificate2.CreateFromPemFile(path, ClientKeyPath);

            // An ephemeral PEM key cannot be used by SslStream on every platform; a PKCS#12 round trip makes it persistable.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }

        return X509CertificateLoader.LoadPkcs12FromFile(path, ClientCertificatePassword);
    }
}
