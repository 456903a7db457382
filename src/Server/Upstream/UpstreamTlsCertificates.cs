using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SocketAtm.Server.Routing;

namespace SocketAtm.Server.Upstream;

/// <summary>
/// The TLS side of a route: the authority bundle the issuer's certificate must chain to (alone: <c>CustomRootTrust</c>,
/// never the machine's roots, no certificate downloads — the rules the host applies to terminals' client certificates)
/// and the optional client certificate the host presents.
/// </summary>
internal sealed class UpstreamTlsCertificates : IDisposable
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    private readonly X509Certificate2Collection _authorities;
    private readonly X509Certificate2? _clientCertificate;
    private readonly string? _serverName;

    private UpstreamTlsCertificates(X509Certificate2Collection authorities, X509Certificate2? clientCertificate, string? serverName)
    {
        _authorities = authorities;
        _clientCertificate = clientCertificate;
        _serverName = serverName;
    }

    /// <summary>Loads what <paramref name="tls"/> names; the failure's words name the setting, never the password.</summary>
    /// <param name="at">The route's setting prefix, e.g. <c>Routing:Routes:0</c>.</param>
    /// <exception cref="InvalidDataException">A file is not a certificate (bundle) this host can read.</exception>
    public static UpstreamTlsCertificates Load(RouteTlsOptions tls, string at)
    {
        ArgumentNullException.ThrowIfNull(tls);
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(tls.AuthorityBundle ?? throw new InvalidDataException($"{at}:Tls:AuthorityBundle is required with {at}:Tls:Enabled."));
        }
        catch (CryptographicException exception)
        {
            throw new InvalidDataException($"{at}:Tls:AuthorityBundle '{tls.AuthorityBundle}' is not a PEM certificate bundle ({exception.Message.ReplaceLineEndings(" ")}).", exception);
        }

        if (authorities.Count == 0)
        {
            throw new InvalidDataException($"{at}:Tls:AuthorityBundle '{tls.AuthorityBundle}' holds no PEM certificate.");
        }

        X509Certificate2? client = null;
        if (tls.ClientCertificatePath is { } path)
        {
            try
            {
                client = tls.ClientKeyPath is not null || File.ReadAllText(path).Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)
                    ? string.IsNullOrEmpty(tls.ClientCertificatePassword)
                        ? X509Certificate2.CreateFromPemFile(path, tls.ClientKeyPath)
                        : X509Certificate2.CreateFromEncryptedPemFile(path, tls.ClientCertificatePassword, tls.ClientKeyPath)
                    : X509CertificateLoader.LoadPkcs12FromFile(path, tls.ClientCertificatePassword);
            }
            catch (CryptographicException exception)
            {
                foreach (var authority in authorities)
                {
                    authority.Dispose();
                }

                throw new InvalidDataException($"{at}:Tls:ClientCertificatePath '{path}' cannot be loaded with its key ({exception.Message.ReplaceLineEndings(" ")}).", exception);
            }
        }

        return new UpstreamTlsCertificates(authorities, client, tls.ServerName);
    }

    /// <summary>Why <see cref="Load"/> would fail, or null; for start-up validation.</summary>
    public static string? TryLoadAll(RouteTlsOptions tls, string at)
    {
        try
        {
            using var loaded = Load(tls, at);
            return null;
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return exception.Message;
        }
    }

    /// <summary>The client options of one handshake with the issuer at <paramref name="endpoint"/>.</summary>
    public SslClientAuthenticationOptions ClientOptions(IssuerEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var policy = new X509ChainPolicy
        {
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
            TrustMode = X509ChainTrustMode.CustomRootTrust,
        };
        policy.ApplicationPolicy.Add(ServerAuthentication);
        policy.CustomTrustStore.AddRange(_authorities);
        return new SslClientAuthenticationOptions
        {
            TargetHost = _serverName ?? endpoint.Host,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            CertificateChainPolicy = policy,
            ClientCertificates = _clientCertificate is null ? null : [_clientCertificate],
            AllowRenegotiation = false,

            // The chain policy above decided; any error (untrusted, expired, wrong name or usage) refuses.
            RemoteCertificateValidationCallback = static (_, certificate, _, errors) => certificate is not null && errors == SslPolicyErrors.None,
        };
    }

    public void Dispose()
    {
        foreach (var authority in _authorities)
        {
            authority.Dispose();
        }

        _clientCertificate?.Dispose();
    }
}
