using System.ComponentModel.DataAnnotations;

namespace SocketAtm.Server.Security;

/// <summary>
/// When repeated security violations (bad MACs, stale DE 7, unknown terminals) from one terminal or one address stop being
/// journaled and logged one by one: after <see cref="ViolationThreshold"/> within <see cref="ViolationWindow"/>. Settings
/// of the "Security" section.
/// </summary>
internal sealed class ViolationThrottleOptions : IValidatableObject
{
    public const string SectionName = "Security";

    /// <summary>
    /// Violations one terminal, or one address (IPv6: one /64), may make within <see cref="ViolationWindow"/> that are
    /// journaled and logged one by one; the further ones of the window are answered at once, as before, and journaled as
    /// one aggregated row per terminal when the window ends.
    /// </summary>
    [Range(1, 10_000, ErrorMessage = "Security:ViolationThreshold must be between 1 and 10000.")]
    public int ViolationThreshold { get; set; } = 10;

    /// <summary>The fixed window <see cref="ViolationThreshold"/> counts in, from a key's first violation.</summary>
    public TimeSpan ViolationWindow { get; set; } = TimeSpan.FromMinutes(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ViolationWindow < TimeSpan.FromSeconds(1) || ViolationWindow > TimeSpan.FromDays(1))
        {
            yield return new ValidationResult(
                "Security:ViolationWindow must be between 00:00:01 and 1.00:00:00 (the window Security:ViolationThreshold counts in).",
                [nameof(ViolationWindow)]);
        }
    }
}
