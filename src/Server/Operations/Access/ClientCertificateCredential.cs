using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace SocketAtm.Server.Operations.Access;

/// <summary>
/// Mutual TLS as an operator credential: the connection's client certificate chains to the bundle of
/// <c>Operations:Tls:ClientCertificateAuthorityPath</c> alone (never the machine's trust store, no certificate fetched
/// from an address the certificate names), with the client-authentication usage. The handshake admits any certificate or
/// none (a browser without one still signs in with the token); this decides per connection, once, and remembers it.
/// </summary>
internal sealed class ClientCertificateCredential(X509Certificate2Collection authorities)
{
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2", "Client Authentication");
    private static readonly object VerdictKey = new();

    /// <summary>True when the request's connection presented a certificate from the configured authorities.</summary>
    public bool Admits(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var certificate = context.Connection.ClientCertificate;
        if (certificate is null)
        {
            return false;
        }

        var items = context.Features.Get<IConnectionItemsFeature>()?.Items;
        if (items is not null && items.TryGetValue(VerdictKey, out var verdict) && verdict is bool known)
        {
            return known;
        }

        var admitted = Chains(certificate);
        if (items is not null)
        {
            items[VerdictKey] = admitted;
        }

        return admitted;
    }

    private bool Chains(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.ApplicationPolicy.Add(ClientAuthentication);
        return chain.Build(certificate);
    }
}
