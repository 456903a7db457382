using System.ComponentModel.DataAnnotations;

namespace SocketAtm.Server.Sessions;

/// <summary>
/// The limits one terminal session lives under: the largest frame, the two read deadlines, the sign-on deadline and the
/// requests in flight.
/// They are settings of the "Listener" configuration section, bound and validated with the listener's own (the
/// listener's options extend this class), hence the "Listener:" that names them in the messages.
/// </summary>
internal class SessionOptions : IValidatableObject
{
    /// <summary>Largest message accepted, in bytes (the 2-byte header excluded); a larger declared length closes the connection.</summary>
    [Range(64, 65535, ErrorMessage = "Listener:MaxFrameLength must be between 64 and 65535.")]
    public int MaxFrameLength { get; set; } = 8192;

    /// <summary>A connection that completes no frame for this long is closed. Terminals keep links alive with 0800/301 echoes.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A frame that has started must be complete within this time (slow-sender defence).</summary>
    public TimeSpan PartialFrameTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A connection over which no terminal is signed on for this long is closed: from its start, and again from the
    /// moment its last terminal signs off. Keep-alives and echo tests do not count, so a connection cannot be held
    /// open without a registered terminal signing on.
    /// </summary>
    public TimeSpan SignOnTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Requests one connection may have in flight; reading pauses while the limit is reached.</summary>
    [Range(1, 4096, ErrorMessage = "Listener:MaxInFlightPerConnection must be between 1 and 4096.")]
    public int MaxInFlightPerConnection { get; set; } = 64;

    public virtual IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, value) in new[] { (nameof(IdleTimeout), IdleTimeout), (nameof(PartialFrameTimeout), PartialFrameTimeout), (nameof(SignOnTimeout), SignOnTimeout) })
        {
            if (CheckTimeSpan(name, value) is { } result)
            {
                yield return result;
            }
        }
    }

    /// <summary>The failure of the time span setting <paramref name="name"/>, or null when it is positive and at most one day.</summary>
    protected static ValidationResult? CheckTimeSpan(string name, TimeSpan value) =>
        value <= TimeSpan.Zero || value > TimeSpan.FromDays(1)
            ? new ValidationResult($"Listener:{name} must be a positive time span of at most one day (e.g. 00:05:00).", [name])
            : null;
}
