namespace SocketAtm.Server.Routing;

/// <summary>
/// TLS towards one issuer (<c>Routing:Routes:N:Tls:*</c>). The issuer's certificate must chain to
/// <see cref="AuthorityBundle"/> alone — never the machine's trust store, as for terminals' client certificates — and
/// name <see cref="ServerName"/>.
/// </summary>
internal sealed class RouteTlsOptions
{
    public bool Enabled { get; set; }

    /// <summary>The name the issuer's certificate must carry (and the SNI sent); default: the endpoint's host.</summary>
    public string? ServerName { get; set; }

    /// <summary>PEM bundle of the authorities the issuer's certificate must chain to; required with <see cref="Enabled"/>.</summary>
    public string? AuthorityBundle { get; set; }

    /// <summary>Optional client certificate (PKCS#12, or PEM with <see cref="ClientKeyPath"/> or its key in the same file).</summary>
    public string? ClientCertificatePath { get; set; }

    /// <summary>The PEM key of <see cref="ClientCertificatePath"/> when it is in another file.</summary>
    public string? ClientKeyPath { get; set; }

    /// <summary>Password of the client certificate or key; from the environment, never logged.</summary>
    public string? ClientCertificatePassword { get; set; }
}
