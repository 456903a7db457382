using System.ComponentModel.DataAnnotations;

namespace SocketAtm.Server.Handlers;

/// <summary>
/// How often a terminal may exchange keys: at most <see cref="KeyExchangeLimit"/> exchanges within any
/// <see cref="KeyExchangeWindow"/>, per terminal and per host. Settings of the "Security" section.
/// </summary>
internal sealed class KeyExchangeOptions : IValidatableObject
{
    public const string SectionName = "Security";

    /// <summary>Key exchanges one terminal may make within <see cref="KeyExchangeWindow"/>; one more is answered 65.</summary>
    [Range(1, 100, ErrorMessage = "Security:KeyExchangeLimit must be between 1 and 100.")]
    public int KeyExchangeLimit { get; set; } = 10;

    /// <summary>The sliding window <see cref="KeyExchangeLimit"/> counts in.</summary>
    public TimeSpan KeyExchangeWindow { get; set; } = TimeSpan.FromHours(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (KeyExchangeWindow <= TimeSpan.Zero || KeyExchangeWindow > TimeSpan.FromDays(7))
        {
            yield return new ValidationResult(
                "Security:KeyExchangeWindow must be a positive time span of at most 7 days (e.g. 01:00:00).", [nameof(KeyExchangeWindow)]);
        }
    }
}
