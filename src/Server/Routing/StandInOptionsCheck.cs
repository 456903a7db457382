using System.Globalization;

namespace SocketAtm.Server.Routing;

/// <summary>
/// Checks a route's <see cref="StandInOptions"/> at start, one readable line per problem naming the setting
/// (<c>Routing:Routes:0:StandIn:MaxAmount</c>). The limits are required only when stand-in is enabled; a PVK, when given,
/// is read here once to check its form (and dropped). Enabled without a PVK is valid: every stand-in is then declined 91,
/// which <see cref="Hosting.StandInStartupWarnings"/> says at every start.
/// </summary>
internal static class StandInOptionsCheck
{
    /// <summary>The largest amount DE 4 (12 digits, minor units) can carry.</summary>
    public const long MaxAmountLimit = 999_999_999_999;

    public const int MaxDailyCount = 100;
    public const int MaxPinVerificationKeyIndex = 6;

    /// <param name="at">The route's setting prefix, e.g. <c>Routing:Routes:0</c>.</param>
    public static void Check(RouteOptions route, string at, List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(failures);
        var standIn = route.StandIn;
        var setting = at + ":StandIn";
        if (standIn.Enabled)
        {
            CheckAmounts(standIn, setting, failures);
        }

        if (standIn.Currency is < 0 or > 999)
        {
            failures.Add($"{setting}:Currency must be an ISO 4217 numeric code (e.g. 978), or 0 to check none.");
        }

        if (standIn.DailyCount is < 1 or > MaxDailyCount)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{setting}:DailyCount must be between 1 and {MaxDailyCount} (withdrawals per card per UTC day)."));
        }

        if (standIn.PinVerificationKeyIndex is < 0 or > MaxPinVerificationKeyIndex)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{setting}:PinVerificationKeyIndex must be between 0 and {MaxPinVerificationKeyIndex} (the PVKI the issuer's cards carry in track 2)."));
        }

        CheckPinVerificationKey(route, at, failures);
    }

    private static void CheckAmounts(StandInOptions standIn, string setting, List<string> failures)
    {
        if (standIn.MaxAmount is < 1 or > MaxAmountLimit)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{setting}:MaxAmount must be between 1 and {MaxAmountLimit} (minor units) when {setting}:Enabled is true: give the largest withdrawal the issuer agreed to."));
        }

        if (standIn.DailyAmount > MaxAmountLimit || standIn.DailyAmount < Math.Max(standIn.MaxAmount, 1))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{setting}:DailyAmount must be at least {setting}:MaxAmount and at most {MaxAmountLimit} (minor units per card per UTC day) when {setting}:Enabled is true."));
        }
    }

    private static void CheckPinVerificationKey(RouteOptions route, string at, List<string> failures)
    {
        var standIn = route.StandIn;
        if (!ZoneKey.TryLoad(standIn.PinVerificationKey, standIn.PinVerificationKeyFile, $"{at}:{StandInOptions.PinVerificationKeySetting}", out var pvk, out var problem))
        {
            failures.Add(problem);
            return;
        }

        if (pvk is null)
        {
            return;
        }

        // A key has one purpose: a PVK that is also the zone's PIN or MAC key would let either use reveal the other.
        foreach (var (name, value, file) in new[] { ("ZonePinKey", route.ZonePinKey, route.ZonePinKeyFile), ("ZoneMacKey", route.ZoneMacKey, route.ZoneMacKeyFile) })
        {
            if (ZoneKey.TryLoad(value, file, $"{at}:{name}", out var zoneKey, out _) && zoneKey is not null)
            {
                if (pvk.AsSpan().SequenceEqual(zoneKey))
                {
                    failures.Add($"{at}:{StandInOptions.PinVerificationKeySetting} is the same key as {at}:{name}: a PIN verification key must have no other use.");
                }

                Array.Clear(zoneKey);
            }
        }

        Array.Clear(pvk);
    }
}
