using System.Security.Cryptography;
using SocketAtm.Server.Transport;

namespace SocketAtm.Server.Operations.Access;

/// <summary>
/// TLS on the operations port (configuration section "Operations:Tls"), in the terminal listener's shape
/// (<see cref="TlsOptions"/>) and loaded by the same code (<see cref="TlsCertificates"/>): on when a certificate is set.
/// </summary>
internal sealed class OperationsTlsOptions
{
    public const string SectionName = OperationsOptions.SectionName + ":Tls";

    /// <summary>The server certificate: a PKCS#12 file (.pfx/.p12) with its key, or a PEM file (with any intermediates after it). Set, the port serves https only.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key when it is not in <see cref="CertificatePath"/>.</summary>
    public string? KeyPath { get; set; }

    /// <summary>Password of the PKCS#12 file or of an encrypted PEM key; from the environment (<c>SOCKETATM_Operations__Tls__Password</c>). Never logged.</summary>
    public string? Password { get; set; }

    /// <summary>
    /// Mutual TLS, optional: a PEM bundle of the private authorities whose client certificates are an operator credential
    /// (asked for at the handshake, never required there: a browser without one still signs in with the token). Chains
    /// are validated against this bundle alone, never the machine's trust store.
    /// </summary>
    public string? ClientCertificateAuthorityPath { get; set; }

    public bool IsEnabled => !string.IsNullOrWhiteSpace(CertificatePath);

    public bool AcceptsClientCertificates => !string.IsNullOrWhiteSpace(ClientCertificateAuthorityPath);

    public ServerCertificate LoadServerCertificate() => TlsCertificates.LoadServerCertificate(CertificatePath, KeyPath, Password, SectionName);

    public System.Security.Cryptography.X509Certificates.X509Certificate2Collection LoadAuthorities() =>
        TlsCertificates.LoadAuthorities(ClientCertificateAuthorityPath!, SectionName + ":" + nameof(ClientCertificateAuthorityPath));

    /// <summary>Why the configured files cannot serve, on one line, or null: each file exists and loads (the password is never in the words).</summary>
    public string? Problem()
    {
        if (!IsEnabled)
        {
            return AcceptsClientCertificates
                ? $"{SectionName}:ClientCertificateAuthorityPath is set but {SectionName}:CertificatePath is not: client certificates are asked for only over TLS."
                : null;
        }

        foreach (var (name, path) in new[] { (nameof(CertificatePath), CertificatePath), (nameof(KeyPath), KeyPath), (nameof(ClientCertificateAuthorityPath), ClientCertificateAuthorityPath) })
        {
            if (!string.IsNullOrWhiteSpace(path) && !File.Exists(path))
            {
                return $"{SectionName}:{name} '{path}' does not exist.";
            }
        }

        try
        {
            using var server = LoadServerCertificate();
            if (AcceptsClientCertificates)
            {
                TlsCertificates.DisposeAll(LoadAuthorities());
            }

            return null;
        }
        catch (Exception exception) when (exception is CryptographicException or InvalidDataException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            return $"{SectionName}: " + exception.Message.ReplaceLineEndings(" ");
        }
    }
}
