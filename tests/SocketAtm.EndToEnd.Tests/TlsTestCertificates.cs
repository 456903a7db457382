using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SocketAtm.EndToEnd.Tests;

/// <summary>
/// A throw-away certificate authority made for one test: a server certificate for localhost/127.0.0.1 (as PKCS#12 with a
/// password and as PEM certificate + key) and client certificates naming terminal ids, all written to a temp directory.
/// ECDSA P-256 keys, so making them costs milliseconds.
/// </summary>
internal sealed class TlsTestCertificates : IDisposable
{
    public const string PfxPassword = "test-only-pfx-password";
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    private readonly ECDsa _authorityKey;

    private TlsTestCertificates(string directory)
    {
        Directory = directory;
        _authorityKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=SocketAtm Test CA", _authorityKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        File.WriteAllText(AuthorityPemPath, Authority.ExportCertificatePem());

        var sans = new SubjectAlternativeNameBuilder();
        sans.AddDnsName("localhost");
        sans.AddIpAddress(IPAddress.Loopback);
        Server = Issue("CN=localhost", ServerAuthentication, sans);
        File.WriteAllBytes(ServerPfxPath, Server.Export(X509ContentType.Pkcs12, PfxPassword));
        File.WriteAllText(ServerPemPath, Server.ExportCertificatePem());
        using var serverKey = Server.GetECDsaPrivateKey()!;
        File.WriteAllText(ServerKeyPath, serverKey.ExportPkcs8PrivateKeyPem());
    }

    public string Directory { get; }

    public X509Certificate2 Authority { get; }

    public X509Certificate2 Server { get; }

    public string AuthorityPemPath => Path.Combine(Directory, "ca.pem");

    public string ServerPfxPath => Path.Combine(Directory, "server.pfx");

    public string ServerPemPath => Path.Combine(Directory, "server.pem");

    public string ServerKeyPath => Path.Combine(Directory, "server.key");

    /// <summary>Host arguments that serve TLS with the PKCS#12 server certificate.</summary>
    public string[] ServerArguments =>
        ["--Listener:Tls:Enabled=true", $"--Listener:Tls:CertificatePath={ServerPfxPath}", $"--Listener:Tls:Password={PfxPassword}"];

    /// <summary>Host arguments for mutual TLS against this authority.</summary>
    public string[] MutualTlsArguments =>
        [.. ServerArguments, "--Listener:Tls:RequireClientCertificate=true", $"--Listener:Tls:ClientCertificateAuthorityPath={AuthorityPemPath}"];

    public static TlsTestCertificates Create()
    {
        var directory = Path.Combine(Path.GetTempPath(), "socketatm-tls-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        return new TlsTestCertificates(directory);
    }

    /// <summary>A client certificate from this authority with <paramref name="commonName"/> as CN and each of <paramref name="dnsNames"/> as a DNS SAN.</summary>
    public X509Certificate2 IssueClient(string commonName, params string[] dnsNames) => IssueClientWithSubject("CN=" + commonName, dnsNames);

    /// <summary>A client certificate from this authority with the distinguished name <paramref name="subject"/>.</summary>
    public X509Certificate2 IssueClientWithSubject(string subject, params string[] dnsNames)
    {
        SubjectAlternativeNameBuilder? sans = null;
        if (dnsNames.Length > 0)
        {
            sans = new SubjectAlternativeNameBuilder();
            foreach (var name in dnsNames)
            {
                sans.AddDnsName(name);
            }
        }

        return Issue(subject, ClientAuthentication, sans);
    }

    /// <summary>A client certificate no configured authority vouches for.</summary>
    public static X509Certificate2 SelfSignedClient(string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + commonName, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ClientAuthentication], false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
    }

    /// <summary>Connects and completes the client side of the handshake, trusting only this authority for the server.</summary>
    public async Task<(TcpClient Client, SslStream Tls)> ConnectAsync(IPEndPoint endPoint, X509Certificate2? clientCertificate = null, SslProtocols protocols = SslProtocols.None)
    {
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(endPoint);
        var tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = protocols,
            CertificateChainPolicy = TrustThisAuthority(),
            RemoteCertificateValidationCallback = static (_, _, _, errors) => errors == SslPolicyErrors.None,
        };
        if (clientCertificate is not null)
        {
            options.ClientCertificates = [clientCertificate];
            options.LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await tls.AuthenticateAsClientAsync(options, timeout.Token);
        }
        catch
        {
            await tls.DisposeAsync();
            client.Dispose();
            throw;
        }

        return (client, tls);
    }

    public void Dispose()
    {
        Server.Dispose();
        Authority.Dispose();
        _authorityKey.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory left behind is harmless.
        }
    }

    private X509ChainPolicy TrustThisAuthority()
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(Authority);
        return policy;
    }

    private X509Certificate2 Issue(string subject, Oid usage, SubjectAlternativeNameBuilder? sans)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        if (sans is not null)
        {
            request.CertificateExtensions.Add(sans.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F; // positive
        using var issued = request.Create(Authority, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(2), serial);
        return issued.CopyWithPrivateKey(key);
    }
}
