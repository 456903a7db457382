using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;

namespace SocketAtm.Server.Transport;

/// <summary>
/// TLS on the terminal listener (configuration section "Listener:Tls"). Off by default: the demo runs on loopback.
/// Validation at start loads every certificate once, so a missing file or a wrong password stops the host with one
/// readable line instead of failing each handshake later.
/// </summary>
internal sealed class TlsOptions : IValidatableObject
{
    public const string SectionName = "Listener:Tls";

    /// <summary>Serve TLS 1.2 or 1.3 only; plaintext connections are then refused at the handshake.</summary>
    public bool Enabled { get; set; }

    /// <summary>The server certificate: a PKCS#12 file (.pfx/.p12) with its key, or a PEM file (with any intermediates after it).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key when it is not in <see cref="CertificatePath"/>.</summary>
    public string? KeyPath { get; set; }

    /// <summary>
    /// Password of the PKCS#12 file or of an encrypted PEM key. Set it from the environment
    /// (<c>SOCKETATM_Listener__Tls__Password</c>), not in a file; it is never logged.
    /// </summary>
    public string? Password { get; set; }

    /// <summary>Mutual TLS: a terminal must present a certificate that validates, or the handshake is refused.</summary>
    public bool RequireClientCertificate { get; set; }

    /// <summary>
    /// PEM bundle of the private authorities client certificates must chain to; required with
    /// <see cref="RequireClientCertificate"/>. Chains are validated against this bundle alone, never the machine's trust
    /// store: a certificate any public or corporate authority issued must not open the host to a terminal.
    /// </summary>
    public string? ClientCertificateAuthorityPath { get; set; }

    /// <summary>
    /// With mutual TLS, a connection may speak only for the terminals its certificate names (subject CN and DNS
    /// subject alternative names, exactly as sent in DE 41); any other DE 41 is answered 58. Turn off only for a
    /// trusted concentrator whose certificate cannot list its terminals.
    /// </summary>
    public bool BindTerminalsToClientCertificate { get; set; } = true;

    /// <summary>A connection that has not completed its handshake this long after accept is closed.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (HandshakeTimeout <= TimeSpan.Zero || HandshakeTimeout > TimeSpan.FromMinutes(5))
        {
            yield return new ValidationResult("Listener:Tls:HandshakeTimeout must be a positive time span of at most five minutes (e.g. 00:00:10).", [nameof(HandshakeTimeout)]);
        }

        if (!Enabled)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(CertificatePath))
        {
            yield return new ValidationResult("Listener:Tls:CertificatePath is required when Listener:Tls:Enabled is true.", [nameof(CertificatePath)]);
            yield break;
        }

        foreach (var (name, path) in new[] { (nameof(CertificatePath), CertificatePath), (nameof(KeyPath), KeyPath), (nameof(ClientCertificateAuthorityPath), ClientCertificateAuthorityPath) })
        {
            if (path is not null && !File.Exists(path))
            {
                yield return new ValidationResult($"Listener:Tls:{name} '{path}' does not exist.", [name]);
                yield break;
            }
        }

        if (RequireClientCertificate && string.IsNullOrWhiteSpace(ClientCertificateAuthorityPath))
        {
            yield return new ValidationResult(
                "Listener:Tls:RequireClientCertificate is true but Listener:Tls:ClientCertificateAuthorityPath is not set: give the PEM bundle of the private authority that issues terminal certificates (the machine's trust store is never used for terminals).",
                [nameof(ClientCertificateAuthorityPath)]);
            yield break;
        }

        if (ClientCertificateAuthorityPath is not null && !RequireClientCertificate)
        {
            yield return new ValidationResult(
                "Listener:Tls:ClientCertificateAuthorityPath is set but Listener:Tls:RequireClientCertificate is false: client certificates would never be asked for.",
                [nameof(ClientCertificateAuthorityPath)]);
        }

        if (TryLoad() is { } problem)
        {
            yield return new ValidationResult(problem, [nameof(CertificatePath)]);
        }
    }

    /// <summary>Loads every configured certificate once and returns why it failed, or null.</summary>
    private string? TryLoad()
    {
        try
        {
            using var server = TlsCertificates.LoadServerCertificate(this);
            if (ClientCertificateAuthorityPath is not null)
            {
                TlsCertificates.DisposeAll(TlsCertificates.LoadAuthorities(ClientCertificateAuthorityPath));
            }

            return null;
        }
        catch (Exception exception) when (exception is CryptographicException or InvalidDataException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            // The exception's own words, on one line; the password never appears in them.
            return "Listener:Tls: " + exception.Message.ReplaceLineEndings(" ");
        }
    }
}
