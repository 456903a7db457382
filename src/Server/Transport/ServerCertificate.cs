using System.Security.Cryptography.X509Certificates;

namespace SocketAtm.Server.Transport;

/// <summary>The host's certificate with its private key, and the intermediates sent with it so terminals can build the chain.</summary>
internal sealed class ServerCertificate : IDisposable
{
    public ServerCertificate(X509Certificate2 certificate, X509Certificate2Collection intermediates)
    {
        Certificate = certificate;
        Intermediates = intermediates;
    }

    public X509Certificate2 Certificate { get; }

    public X509Certificate2Collection Intermediates { get; }

    public void Dispose()
    {
        Certificate.Dispose();
        TlsCertificates.DisposeAll(Intermediates);
    }
}
