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
        var path = options.CertificatePath ?? throw new InvalidDataException("Listener:Tls:CertificatePath is not set.");
        return options.KeyPath is not null || IsPem(path) ? LoadPem(path, options.KeyPath, options.Password) : LoadPkcs12(path, options.Password);
    }

    /// <summary>The certificates of a PEM bundle (the authorities client certificates must chain to).</summary>
    public static X509Certificate2Collection LoadAuthorities(string path)
    {
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(path);
        }
        catch (CryptographicException exception)
        {
            throw new InvalidDataException($"Listener:Tls:ClientCertificateAuthorityPath '{path}' is not a PEM certificate bundle ({exception.Message}).", exception);
        }

        if (authorities.Count == 0)
        {
            throw new InvalidDataException($"Listener:Tls:ClientCertificateAuthorityPath '{path}' holds no PEM certificate.");
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

    private static ServerCertificate LoadPem(string certificatePath, string? keyPath, string? password)
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
                    ? $"cannot load the PEM certificate '{certificatePath}' with a key from the same file ({exception.Message}); set Listener:Tls:KeyPath if the key is in another file."
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
        return Pair(certificate, all, certificatePath);
    }

    private static ServerCertificate LoadPkcs12(string path, string? password)
    {
        X509Certificate2Collection all;
        try
        {
            all = X509CertificateLoader.LoadPkcs12CollectionFromFile(path, password, X509KeyStorageFlags.DefaultKeySet);
        }
        catch (CryptographicException exception)
        {
            throw new InvalidDataException(
                $"cannot load the PKCS#12 certificate '{path}': wrong Listener:Tls:Password, or not a PKCS#12 or PEM file ({exception.Message}).",
                exception);
        }

        var withKey = all.FirstOrDefault(c => c.HasPrivateKey);
        if (withKey is null)
        {
            DisposeAll(all);
            throw new InvalidDataException($"the certificate '{path}' holds no private key.");
        }

        all.Remove(withKey);
        return Pair(withKey, all, path);
    }

    /// <summary>The certificate with a key, and every other certificate of the file as an intermediate.</summary>
    private static ServerCertificate Pair(X509Certificate2 certificate, X509Certificate2Collection all, string path)
    {
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            DisposeAll(all);
            throw new InvalidDataException($"the certificate '{path}' has no private key (set Listener:Tls:KeyPath).");
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
