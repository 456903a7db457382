namespace SocketAtm.Server.Routing;

/// <summary>
/// One issuer the host reaches as an acquirer (<c>Routing:Routes:N:*</c>): which cards go there (BIN prefixes), where it
/// listens (endpoints in fail-over order), how many connections are kept to it, and the keys of the zone between us.
/// Checked at start by the upstream link's RoutingOptionsValidator; keys are given through the environment, the command line or a file.
/// </summary>
internal sealed class RouteOptions
{
    public const int DefaultConnections = 2;
    public const int DefaultMaxInFlight = 256;
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(8);
    public static readonly TimeSpan DefaultEchoInterval = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultReconnectDelay = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan DefaultMaxReconnectDelay = TimeSpan.FromSeconds(30);
    public const int DefaultBreakerFailures = 5;
    public static readonly TimeSpan DefaultBreakerWindow = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultBreakerOpenFor = TimeSpan.FromSeconds(15);

    /// <summary>The route's name in logs, metrics and <c>admin routes</c>.</summary>
    public string? Name { get; set; }

    /// <summary>BIN prefixes (1–11 digits) of the cards this issuer answers for; the longest match over all routes wins.</summary>
    public List<string> Bins { get; set; } = [];

    /// <summary><c>host:port</c> of the issuer, in fail-over order: each connection tries them first to last.</summary>
    public List<string> Endpoints { get; set; } = [];

    /// <summary>Connections kept open and signed on to the issuer.</summary>
    public int Connections { get; set; } = DefaultConnections;

    /// <summary>The budget of one issuer answer, and of a connect, a sign-on and an echo.</summary>
    public TimeSpan Timeout { get; set; } = DefaultTimeout;

    /// <summary>DE 32 the host sends: its acquiring institution id at this issuer (1–11 digits).</summary>
    public string? AcquirerId { get; set; }

    /// <summary>The static double-length ZPK (32 hex digits); environment or command line only, never appsettings.json.</summary>
    public string? ZonePinKey { get; set; }

    /// <summary>A file holding the ZPK as 32 hex digits, used when <see cref="ZonePinKey"/> is not set.</summary>
    public string? ZonePinKeyFile { get; set; }

    /// <summary>The optional ZAK (32 hex digits) that MACs financial messages both ways; same rules as <see cref="ZonePinKey"/>.</summary>
    public string? ZoneMacKey { get; set; }

    /// <summary>A file holding the ZAK, used when <see cref="ZoneMacKey"/> is not set.</summary>
    public string? ZoneMacKeyFile { get; set; }

    /// <summary>Requests in flight to this issuer at once; one more is not sent (the terminal gets 91).</summary>
    public int MaxInFlight { get; set; } = DefaultMaxInFlight;

    /// <summary>A connection that received nothing for this long sends an echo (0800/301).</summary>
    public TimeSpan EchoInterval { get; set; } = DefaultEchoInterval;

    /// <summary>The first wait before a reconnect; it doubles per failed round over the endpoints, with jitter.</summary>
    public TimeSpan ReconnectDelay { get; set; } = DefaultReconnectDelay;

    /// <summary>The longest wait between reconnect rounds.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = DefaultMaxReconnectDelay;

    /// <summary>Financial requests timed out in a row (no answer between) that open the route's breaker.</summary>
    public int BreakerFailures { get; set; } = DefaultBreakerFailures;

    /// <summary>The <see cref="BreakerFailures"/> timeouts open the breaker only when they all fall within this time.</summary>
    public TimeSpan BreakerWindow { get; set; } = DefaultBreakerWindow;

    /// <summary>How long an open breaker sends no financial request before it lets one through as a probe.</summary>
    public TimeSpan BreakerOpenFor { get; set; } = DefaultBreakerOpenFor;

    public RouteTlsOptions Tls { get; set; } = new();

    /// <summary>Store-and-forward: the pause after a message's first unacknowledged try; it doubles per try (PROTOCOL.md §15.6).</summary>
    public TimeSpan SafRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Store-and-forward: the longest pause between tries of one message.</summary>
    public TimeSpan SafMaxRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Store-and-forward: a message owed longer is flagged expired and alerted (log and metric); it is still sent, never dropped.</summary>
    public TimeSpan SafExpiry { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Store-and-forward: messages one host claims and sends to this issuer per round.</summary>
    public int SafBatch { get; set; } = 32;

    /// <summary>What the host may decide for the issuer while this route is unavailable; off by default.</summary>
    public StandInOptions StandIn { get; set; } = new();
}
