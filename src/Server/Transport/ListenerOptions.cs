using System.ComponentModel.DataAnnotations;
using System.Net;
using SocketAtm.Server.Sessions;

namespace SocketAtm.Server.Transport;

/// <summary>
/// Where the host listens and the limits every terminal connection lives under (configuration section "Listener").
/// The section also holds the limits of each session (<see cref="SessionOptions"/>, which this class extends), so that
/// one section binds and validates as one, with one line per bad setting.
/// </summary>
internal sealed class ListenerOptions : SessionOptions
{
    public const string SectionName = "Listener";

    /// <summary>
    /// IP address to bind (or <c>localhost</c>, which binds 127.0.0.1); 127.0.0.1 by default so a fresh install is not
    /// exposed. Whether it is loopback (<see cref="IsLoopback"/>) decides which relaxations are allowed by default.
    /// </summary>
    [Required]
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>
    /// Off loopback, serve terminals without TLS anyway (PIN blocks are encrypted, but card data, amounts and answers are
    /// not). False by default: a listener off loopback without <c>Listener:Tls:Enabled</c> refuses to start. When set, a
    /// warning is logged at every start.
    /// </summary>
    public bool AllowPlaintext { get; set; }

    /// <summary>TCP port; 0 binds any free port (the bound one is logged).</summary>
    [Range(0, 65535, ErrorMessage = "Listener:Port must be between 0 and 65535.")]
    public int Port { get; set; } = 8583;

    /// <summary>Connections beyond this are closed at accept.</summary>
    [Range(1, 1_000_000, ErrorMessage = "Listener:MaxConnections must be between 1 and 1000000.")]
    public int MaxConnections { get; set; } = 10_000;

    /// <summary>
    /// Connections one remote IP address may hold; more are closed at accept. A concentrator or a NAT in front of a
    /// branch network is one address carrying many terminals, so the default is generous: it only keeps a single
    /// misbehaving host from taking more than a tenth of <see cref="MaxConnections"/> at its default.
    /// </summary>
    [Range(1, 1_000_000, ErrorMessage = "Listener:MaxConnectionsPerAddress must be between 1 and 1000000.")]
    public int MaxConnectionsPerAddress { get; set; } = 1_000;

    /// <summary>How long a graceful stop waits for in-flight requests before aborting connections.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// True when the host serves this machine only: <see cref="Address"/> is loopback (see <see cref="LoopbackAddress"/>)
    /// and no proxy forwards the network to it. With <see cref="ProxyProtocol"/> On the peers are the terminals a proxy
    /// (HAProxy on this machine, say) accepted from the network, so none of the loopback relaxations — demo data,
    /// plaintext, terminals without MACs, requests without track 2 — may apply, whatever the address.
    /// </summary>
    public bool IsLoopback => LoopbackAddress.Is(Address) && ProxyProtocol == ProxyProtocolMode.Off;

    /// <summary>The parsed <see cref="Address"/>; call only after validation.</summary>
    public IPAddress GetBindAddress() =>
        string.Equals(Address.Trim(), LoopbackAddress.LocalhostName, StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback : IPAddress.Parse(Address);

    public override IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IPAddress.TryParse(Address, out _) && !string.Equals(Address?.Trim(), LoopbackAddress.LocalhostName, StringComparison.OrdinalIgnoreCase))
        {
            yield return new ValidationResult($"Listener:Address '{Address}' is not an IP address (or localhost).", [nameof(Address)]);
        }

        foreach (var result in base.Validate(validationContext))
        {
            yield return result;
        }

        if (CheckTimeSpan(nameof(DrainTimeout), DrainTimeout) is { } drain)
        {
            yield return drain;
        }

        foreach (var result in ValidateAdmission())
        {
            yield return result;
        }
    }

    // Connection admission: who may hold a connection before signing a terminal on, and behind which proxies.

    /// <summary>
    /// Connections one address may hold over which no terminal has signed on yet; more are closed at accept. A
    /// connection stops counting here when a terminal first signs on over it. Sized for the burst of a branch NAT or a
    /// proxy whose terminals all reconnect at once (each is unsigned for one round trip), while an address that cannot
    /// sign a terminal on holds under 1 % of <see cref="MaxConnections"/>, each for at most the sign-on timeout.
    /// </summary>
    [Range(1, 1_000_000, ErrorMessage = "Listener:MaxUnsignedConnectionsPerAddress must be between 1 and 1000000.")]
    public int MaxUnsignedConnectionsPerAddress { get; set; } = 64;

    /// <summary>
    /// On behind a proxy such as HAProxy (<c>send-proxy-v2</c>): each connection then begins with a PROXY protocol
    /// header (v1 or v2) whose client address the caps, the logs and the sign-on timeout use. Off by default: a header
    /// believed from anyone would let anyone choose the address they are counted under.
    /// </summary>
    public ProxyProtocolMode ProxyProtocol { get; set; } = ProxyProtocolMode.Off;

    /// <summary>
    /// The proxies whose headers are believed, as addresses or CIDR ranges (<c>--Listener:TrustedProxies:0=10.0.0.5</c>);
    /// with <see cref="ProxyProtocol"/> On, a connection from any other address is refused at accept.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>How long a proxy has to send its whole header; a proxy sends it at once, so the default is short.</summary>
    public TimeSpan ProxyHeaderTimeout { get; set; } = TimeSpan.FromSeconds(5);

    private IEnumerable<ValidationResult> ValidateAdmission()
    {
        if (CheckTimeSpan(nameof(ProxyHeaderTimeout), ProxyHeaderTimeout) is { } timeout)
        {
            yield return timeout;
        }

        foreach (var entry in TrustedProxies.Where(entry => !Transport.TrustedProxies.TryParseEntry(entry, out _)))
        {
            yield return new ValidationResult(
                $"Listener:TrustedProxies entry '{entry}' is not an IP address or a CIDR range with its host bits zero (e.g. 10.0.0.5 or 10.0.0.0/24).", [nameof(TrustedProxies)]);
        }

        if (ProxyProtocol == ProxyProtocolMode.On && TrustedProxies.Count == 0)
        {
            yield return new ValidationResult(
                "Listener:ProxyProtocol is On but Listener:TrustedProxies names no proxy (e.g. --Listener:TrustedProxies:0=10.0.0.5).", [nameof(TrustedProxies)]);
        }
    }
}
