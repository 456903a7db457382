using System.ComponentModel.DataAnnotations;

namespace SocketAtm.Server.Handlers;

/// <summary>
/// How far a financial request's DE 7 may be from the host's clock, bound from the configuration section
/// <see cref="SectionName"/>. Further away, an 0100/0200 (or a repeat the host has no answer for) is refused 63 and
/// journaled as a security event: a day-old request is a replay, not a customer at the ATM.
/// </summary>
internal sealed class TransmissionWindowOptions : IValidatableObject
{
    public const string SectionName = "Security";

    /// <summary>The most DE 7 may be before or after the host's clock. Terminals keep their clocks within it (NTP).</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromMinutes(15);

    /// <summary>The widest window allowed: twelve hours either side already takes a clock set to the wrong day.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromHours(12);

    /// <inheritdoc cref="DefaultWindow"/>
    public TimeSpan TransmissionTimeWindow { get; set; } = DefaultWindow;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (TransmissionTimeWindow < TimeSpan.FromSeconds(1) || TransmissionTimeWindow > MaxWindow)
        {
            yield return new ValidationResult(
                "Security:TransmissionTimeWindow must be between 00:00:01 and 12:00:00 (how far DE 7 may be from the host's clock, either way).",
                [nameof(TransmissionTimeWindow)]);
        }
    }
}
