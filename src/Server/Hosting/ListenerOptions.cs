using System.ComponentModel.DataAnnotations;
using System.Net;

namespace SocketAtm.Server.Hosting;

/// <summary>Where the host listens and the limits every terminal connection lives under (configuration section "Listener").</summary>
internal sealed class ListenerOptions : IValidatableObject
{
    public const string SectionName = "Listener";

    /// <summary>IP address to bind; 127.0.0.1 by default so a fresh install is not exposed.</summary>
    [Required]
    public string Address { get; set; } = "127.0.0.1";

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

    /// <summary>Largest message accepted, in bytes (the 2-byte header excluded); a larger declared length closes the connection.</summary>
    [Range(64, 65535, ErrorMessage = "Listener:MaxFrameLength must be between 64 and 65535.")]
    public int MaxFrameLength { get; set; } = 8192;

    /// <summary>A connection that completes no frame for this long is closed. Terminals keep links alive with 0800/301 echoes.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A frame that has started must be complete within this time (slow-sender defence).</summary>
    public TimeSpan PartialFrameTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Requests one connection may have in flight; reading pauses while the limit is reached.</summary>
    [Range(1, 4096, ErrorMessage = "Listener:MaxInFlightPerConnection must be between 1 and 4096.")]
    public int MaxInFlightPerConnection { get; set; } = 64;

    /// <summary>How long a graceful stop waits for in-flight requests before aborting connections.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The parsed <see cref="Address"/>; call only after validation.</summary>
    public IPAddress GetBindAddress() => IPAddress.Parse(Address);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IPAddress.TryParse(Address, out _))
        {
            yield return new ValidationResult($"Listener:Address '{Address}' is not an IP address.", [nameof(Address)]);
        }

        foreach (var (name, value) in new[]
                 {
                     (nameof(IdleTimeout), IdleTimeout), (nameof(PartialFrameTimeout), PartialFrameTimeout), (nameof(DrainTimeout), DrainTimeout),
                 })
        {
            if (value <= TimeSpan.Zero || value > TimeSpan.FromDays(1))
            {
                yield return new ValidationResult($"Listener:{name} must be a positive time span of at most one day (e.g. 00:05:00).", [name]);
            }
        }
    }
}
