using System.ComponentModel.DataAnnotations;
using System.Net;
using SocketAtm.Server.Operations.Access;
using SocketAtm.Server.Transport;

namespace SocketAtm.Server.Operations;

/// <summary>
/// The host's HTTP side for operators and their tools (configuration section "Operations"): <c>/healthz</c>,
/// <c>/readyz</c> and <c>/metrics</c>, on a port of its own, off the terminal port.
/// </summary>
internal sealed class OperationsOptions
{
    public const string SectionName = "Operations";

    /// <summary>The default port: beside the terminal port 8583, and clear of the common web ports.</summary>
    public const int DefaultPort = 8590;

    /// <summary>False serves no HTTP at all (and collects no metrics); true by default, on loopback only.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>IP address to bind (or <c>localhost</c>); 127.0.0.1 by default. Any other needs <see cref="Token"/>.</summary>
    [Required]
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>TCP port; 0 binds any free port (the bound one is logged).</summary>
    [Range(0, 65535, ErrorMessage = "Operations:Port must be between 0 and 65535.")]
    public int Port { get; set; } = DefaultPort;

    /// <summary>
    /// The operator credential: when set, <c>/metrics</c> answers only <c>Authorization: Bearer &lt;token&gt;</c>. From the
    /// environment (<c>SOCKETATM_Operations__Token</c>) or a file (<see cref="TokenFile"/>), never appsettings.json.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>A file holding the operator credential (its text, trimmed), instead of <see cref="Token"/>.</summary>
    public string? TokenFile { get; set; }

    /// <summary>TLS on the operations port, and optionally client certificates as a credential (<c>Operations:Tls:*</c>).</summary>
    public OperationsTlsOptions Tls { get; set; } = new();

    /// <summary>Off loopback without <c>Operations:Tls</c> the host refuses to start unless this is true (warned at every start).</summary>
    public bool AllowPlaintext { get; set; }

    /// <summary>How long a sign-in (the session cookie) lasts, from the sign-in: not extended by use.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00", ErrorMessage = "Operations:SessionLifetime must be between one minute and seven days (e.g. 08:00:00).")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Sessions held at once; the oldest is signed out to make room.</summary>
    [Range(1, 100_000, ErrorMessage = "Operations:MaxSessions must be between 1 and 100000.")]
    public int MaxSessions { get; set; } = 1_000;

    /// <summary>
    /// HTTP connections open at once, signed in or not (console viewers among them); Kestrel closes one more at accept. The
    /// default leaves room for <c>Operations:Console:MaxViewers</c> (100) beside scrapers and probes.
    /// </summary>
    [Range(1, 100_000, ErrorMessage = "Operations:MaxConnections must be between 1 and 100000.")]
    public int MaxConnections { get; set; } = 256;

    /// <summary>
    /// How long a connection may sit idle between requests before it is closed: short, so that idle connections cannot
    /// hold <see cref="MaxConnections"/> for long (Kestrel's own default is 130 s). A live feed is a request, not idle.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "Operations:KeepAliveTimeout must be between 00:00:01 and 00:10:00.")]
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a request's headers may take to arrive (a slow-headers client holds a connection that long).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00", ErrorMessage = "Operations:RequestHeadersTimeout must be between 00:00:01 and 00:05:00.")]
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Failed credentials from one address within <see cref="FailedAttemptWindow"/> before it is answered 429 for the rest of it.</summary>
    [Range(1, 1_000, ErrorMessage = "Operations:MaxFailedAttempts must be between 1 and 1000.")]
    public int MaxFailedAttempts { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Operations:FailedAttemptWindow must be between one second and one day (e.g. 00:01:00).")]
    public TimeSpan FailedAttemptWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Addresses whose failed attempts are tracked at once; beyond it, new addresses share one count (fails closed).</summary>
    [Range(1, 1_000_000, ErrorMessage = "Operations:MaxTrackedAddresses must be between 1 and 1000000.")]
    public int MaxTrackedAddresses { get; set; } = 10_000;

    /// <summary>True when only this machine can reach the HTTP side.</summary>
    public bool IsLoopback => LoopbackAddress.Is(Address);

    /// <summary>The parsed <see cref="Address"/>; call only after validation.</summary>
    public IPAddress GetBindAddress() =>
        string.Equals(Address.Trim(), LoopbackAddress.LocalhostName, StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback : IPAddress.Parse(Address);

    /// <summary>The credential from <see cref="Token"/> or <see cref="TokenFile"/>; null when neither is set. Call only after validation.</summary>
    public string? ResolveToken() =>
        !string.IsNullOrWhiteSpace(Token) ? Token.Trim()
        : !string.IsNullOrWhiteSpace(TokenFile) ? File.ReadAllText(TokenFile).Trim()
        : null;
}
