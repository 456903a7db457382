using System.Security.Cryptography.X509Certificates;

namespace SocketAtm.Server.Transport;

/// <summary>
/// The terminal ids a client certificate speaks for: its subject common name and every DNS name of its subject
/// alternative names, compared with DE 41 exactly (case matters, no wildcards). A single ATM has its id as CN; a
/// concentrator lists each terminal as a DNS SAN (terminal ids such as ATM00009 are valid DNS labels).
/// </summary>
internal static class ClientCertificateTerminals
{
    private const string CommonNameOid = "2.5.4.3";
    private const string SubjectAlternativeNameOid = "2.5.29.17";

    public static IReadOnlySet<string> Read(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var terminals = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            if (name.GetSingleElementType().Value == CommonNameOid && name.GetSingleElementValue() is { Length: > 0 } commonName)
            {
                terminals.Add(commonName);
            }
        }

        foreach (var extension in certificate.Extensions)
        {
            if (extension.Oid?.Value == SubjectAlternativeNameOid)
            {
                var alternativeNames = extension as X509SubjectAlternativeNameExtension ?? new X509SubjectAlternativeNameExtension(extension.RawData, extension.Critical);
                foreach (var dnsName in alternativeNames.EnumerateDnsNames())
                {
                    if (!dnsName.Contains('*', StringComparison.Ordinal))
                    {
                        terminals.Add(dnsName);
                    }
                }
            }
        }

        return terminals;
    }
}
