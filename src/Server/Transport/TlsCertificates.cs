using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SocketAtm.Server.Transport;

/// <summary>
/// Loads the certificates named in <see cref="TlsOptions"/>. Every failure is an <see cref="InvalidDataException"/> or
/// <see cref="CryptographicException"/> whose message names the file and the setting, never the password.
/// </summary>
internal static class TlsCertificates
{
    private const string PemCertificateHeader = "-----BEGIN CERTIFICATE-----";

    /// <summary>The server certificate with its private key, from a PKCS#12 file or from PEM (key in <see cref="TlsOptions.KeyPath"/> or the same file).</summary>
    public static ServerCertificate LoadServerCertificate(TlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return LoadServerCertificate(options.CertificatePath, options.KeyPath, options.Password, TlsOptions.SectionName);
    }

    /// <summary>
    /// The server certificate of any listener with the same shape of settings (<c>CertificatePath</c>, <c>KeyPath</c>,
    /// <c>Password</c> under <paramref name="section"/>, which the messages name): the terminal port's or the operations port's.
    /// </summary>
    public static ServerCertificate LoadServerCertificate(string? certificatePath, string? keyPath, string? password, string section)
    {
        var path = certificatePath ?? throw new InvalidDataException($"{section}:CertificatePath is not set.");
        return keyPath is not null || IsPem(path) ? LoadPem(path, keyPath, password, section) : LoadPkcs12(path, password, section);
    }

    /// <summary>The certificates of a PEM bundle (the authorities client certificates must chain to).</summary>
    /// <param name="setting">The setting that named the file, for the messages.</param>
    public static X509Certificate2Collection LoadAuthorities(string path, string setting = TlsOptions.SectionName + ":" + nameof(TlsOptions.ClientCertificateAuthorityPath))
    {
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(path);
        }
        catch (CryptographicException exception)
        {
            throw new InvalidDataException($"{setting} '{path}' is not a PEM certificate bundle ({exception.Message}).", exception);
        }

        if (authorities.Count == 0)
        {
            throw new InvalidDataException($"{setting} '{path}' holds no PEM certificate.");
        }

        return authorities;
    }

    public static void DisposeAll(X509Certificate2Collection certificates)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        foreach (var certificate in certificates)
        {
            certificate.Dispose();
        }
    }

    private static bool IsPem(string path)
    {
        using var reader = new StreamReader(path);
        var start = new char[4096];
        var read = reader.ReadBlock(start);
        return start.AsSpan(0, read).IndexOf(PemCertificateHeader, StringComparison.Ordinal) >= 0;
    }

    private static ServerCertificate LoadPem(string certificatePath, string? keyPath, string? password, string section)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = string.IsNullOrEmpty(password)
                ? X509Certificate2.CreateFromPemFile(certificatePath, keyPath)
                : X509Certificate2.CreateFromEncryptedPemFile(certificatePath, password, keyPath);
        }
        catch (CryptographicException exception)
        {
            throw new InvalidDataException(
                keyPath is null
                    ? $"cannot load the PEM certificate '{certificatePath}' with a key from the same file ({exception.Message}); set {section}:KeyPath if the key is in another file."
                    : $"cannot load the PEM certificate '{certificatePath}' with its key '{keyPath}' ({exception.Message}).",
                exception);
        }

        if (OperatingSystem.IsWindows())
        {
            // SChannel cannot use a PEM key that only lives in memory; a PKCS#12 round trip gives it a usable one.
            using var ephemeral = certificate;
            certificate = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
        }

        var all = new X509Certificate2Collection();
        all.ImportFromPemFile(certificatePath);
        return Pair(certificate, all, certificatePath, section);
    }

    private static ServerCertificate LoadPkcs12(string path, string? password, string section)
    {
        X509Certificate2Collection all;
        try
        {
            all = X509CertificateLoader.LoadPkcs12CollectionFromFile(path, password, X509KeyStorageFlags.DefaultKeySet);
        }
        catch (CryptographicException exception)
        {
            throw new InvalidDataException(
                $"cannot load the PKCS#12 certificate '{path}': wrong {section}:Password, or not a PKCS#12 or PEM file ({exception.Message}).",
                exception);
        }

        var withKey = all.FirstOrDefault(c => c.HasPrivateKey);
        if (withKey is null)
        {
            DisposeAll(all);
            throw new InvalidDataException($"the certificate '{path}' holds no private key.");
        }

        all.Remove(withKey);
        return Pair(withKey, all, path, section);
    }

    /// <summary>The certificate with a key, and every other certificate of the file as an intermediate.</summary>
    private static ServerCertificate Pair(X509Certificate2 certificate, X509Certificate2Collection all, string path, string section)
    {
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            DisposeAll(all);
            throw new InvalidDataException($"the certificate '{path}' has no private key (set {section}:KeyPath).");
        }

        var intermediates = new X509Certificate2Collection();
        foreach (var other in all)
        {
            if (other.Thumbprint == certificate.Thumbprint)
            {
                other.Dispose();
            }
            else
            {
                intermediates.Add(other);
            }
        }

        return new ServerCertificate(certificate, intermediates);
    }
}
