using SocketAtm.Server.Security;

namespace SocketAtm.Server.Routing;

/// <summary>
/// A route's stand-in parameters (<c>Routing:Routes:N:StandIn:*</c>): what the issuer agreed the host may approve on its
/// behalf while the route is unavailable (link down or circuit breaker open). Off by default; never used while the route
/// is healthy, nor for on-us cards. Checked at start by <see cref="StandInOptionsCheck"/>; the PVK is given through the
/// environment, the command line or a file, never appsettings.json.
/// </summary>
internal sealed class StandInOptions
{
    public const int DefaultDailyCount = 3;
    public const int DefaultPinVerificationKeyIndex = 1;

    /// <summary>The settings under a route that hold a secret, refused in JSON files (<see cref="RouteSecretsInJsonFiles"/>).</summary>
    public const string PinVerificationKeySetting = "StandIn:" + nameof(PinVerificationKey);

    /// <summary>Whether the host stands in for the issuer while the route is unavailable.</summary>
    public bool Enabled { get; set; }

    /// <summary>The largest withdrawal stood in, in minor units (DE 4); required, positive, when <see cref="Enabled"/>.</summary>
    public long MaxAmount { get; set; }

    /// <summary>What one card may withdraw in stand-in per UTC day, in minor units; at least <see cref="MaxAmount"/>.</summary>
    public long DailyAmount { get; set; }

    /// <summary>Withdrawals one card may make in stand-in per UTC day.</summary>
    public int DailyCount { get; set; } = DefaultDailyCount;

    /// <summary>
    /// The ISO 4217 numeric currency (e.g. 978) <see cref="MaxAmount"/> and <see cref="DailyAmount"/> are in: a request
    /// whose DE 49 names another is not stood in (91). 0, the default, checks none (every terminal dispenses one currency).
    /// </summary>
    public int Currency { get; set; }

    /// <summary>
    /// The issuer's double-length PIN verification key (32 hex digits) that verifies the PVV of track 2; environment or
    /// command line only. Without it (nor <see cref="PinVerificationKeyFile"/>) every stand-in is declined 91.
    /// </summary>
    public string? PinVerificationKey { get; set; }

    /// <summary>A file holding the PVK as 32 hex digits, used when <see cref="PinVerificationKey"/> is not set.</summary>
    public string? PinVerificationKeyFile { get; set; }

    /// <summary>The PVKI (0–6) of the PVK: a card whose track 2 names another index cannot be verified (91).</summary>
    public int PinVerificationKeyIndex { get; set; } = DefaultPinVerificationKeyIndex;

    /// <summary>True when a PVK is given, directly or as a file (whether it reads is <see cref="StandInOptionsCheck"/>'s to say).</summary>
    public bool HasPinVerificationKey => !string.IsNullOrWhiteSpace(PinVerificationKey) || !string.IsNullOrWhiteSpace(PinVerificationKeyFile);

    /// <summary>The PVK with its PVKI, read once at start; null when none is given.</summary>
    /// <param name="route">The route's setting prefix, e.g. <c>Routing:Routes:0</c>, for the error's words.</param>
    /// <exception cref="InvalidDataException">The key is not 32 hex digits, or its file cannot be read.</exception>
    public PinVerificationKey? LoadPinVerificationKey(string route)
    {
        var key = ZoneKey.Load(PinVerificationKey, PinVerificationKeyFile, $"{route}:{PinVerificationKeySetting}");
        return key is null ? null : new PinVerificationKey(key, PinVerificationKeyIndex);
    }
}
