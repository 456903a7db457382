using System.Globalization;
using Microsoft.Extensions.Options;

using SocketAtm.Server.Routing;
namespace SocketAtm.Server.Upstream;

/// <summary>
/// Checks every route at start, one readable line per problem naming the setting (<c>Routing:Routes:1:Bins</c>). Keys are
/// read here once to check their form (and dropped); TLS files are checked to exist and the bundle to load.
/// </summary>
internal sealed class RoutingOptionsValidator : IValidateOptions<RoutingOptions>
{
    public const int MaxConnections = 64;
    public const int MaxInFlightLimit = 100_000;
    public const int MaxNameLength = 40;
    public const int MaxBinLength = 11;
    public const int MaxAcquirerIdLength = 11;
    public const int MaxBreakerFailures = 1000;
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MaxEchoInterval = TimeSpan.FromHours(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan MaxBreakerTime = TimeSpan.FromHours(1);

    public ValidateOptionsResult Validate(string? name, RoutingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var bins = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var index = 0; index < options.Routes.Count; index++)
        {
            Check(options.Routes[index], Setting(index), names, bins, failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public static string Setting(int index) => string.Create(CultureInfo.InvariantCulture, $"{RoutingOptions.SectionName}:Routes:{index}");

    private static void Check(RouteOptions route, string at, HashSet<string> names, Dictionary<string, string> bins, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(route.Name) || route.Name.Length > MaxNameLength || !route.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            failures.Add($"{at}:Name '{route.Name}' must be 1–{MaxNameLength} letters, digits, '-', '_' or '.'.");
        }
        else if (!names.Add(route.Name))
        {
            failures.Add($"{at}:Name '{route.Name}' names two routes.");
        }

        if (route.Bins.Count == 0)
        {
            failures.Add($"{at}:Bins is empty: give the card number prefixes of this issuer (e.g. {at}:Bins:0=541333).");
        }

        foreach (var bin in route.Bins)
        {
            if (!IsDigits(bin, MaxBinLength))
            {
                failures.Add($"{at}:Bins entry '{bin}' must be 1–{MaxBinLength} digits.");
            }
            else if (!bins.TryAdd(bin, route.Name ?? at))
            {
                failures.Add($"{at}:Bins entry '{bin}' is already a BIN of route '{bins[bin]}': a prefix belongs to one route.");
            }
        }

        if (route.Endpoints.Count == 0)
        {
            failures.Add($"{at}:Endpoints is empty: give the issuer's host:port (e.g. {at}:Endpoints:0=10.0.0.7:8584).");
        }

        foreach (var endpoint in route.Endpoints.Where(endpoint => !IssuerEndpoint.TryParse(endpoint, out _)))
        {
            failures.Add($"{at}:Endpoints entry '{endpoint}' is not host:port (an IPv6 address in brackets, port 1–65535).");
        }

        CheckRange(route.Connections, 1, MaxConnections, $"{at}:Connections", failures);
        CheckRange(route.MaxInFlight, 1, MaxInFlightLimit, $"{at}:MaxInFlight", failures);
        CheckTime(route.Timeout, MaxTimeout, $"{at}:Timeout", "00:00:08", failures);
        CheckTime(route.EchoInterval, MaxEchoInterval, $"{at}:EchoInterval", "00:00:30", failures);
        CheckTime(route.ReconnectDelay, MaxBackoff, $"{at}:ReconnectDelay", "00:00:00.5", failures);
        CheckTime(route.MaxReconnectDelay, MaxBackoff, $"{at}:MaxReconnectDelay", "00:00:30", failures);
        if (route.MaxReconnectDelay < route.ReconnectDelay)
        {
            failures.Add($"{at}:MaxReconnectDelay must not be shorter than {at}:ReconnectDelay.");
        }

        CheckRange(route.BreakerFailures, 1, MaxBreakerFailures, $"{at}:BreakerFailures", failures);
        CheckTime(route.BreakerWindow, MaxBreakerTime, $"{at}:BreakerWindow", "00:00:30", failures);
        CheckTime(route.BreakerOpenFor, MaxBreakerTime, $"{at}:BreakerOpenFor", "00:00:15", failures);

        if (!IsDigits(route.AcquirerId, MaxAcquirerIdLength))
        {
            failures.Add($"{at}:AcquirerId '{route.AcquirerId}' must be 1–{MaxAcquirerIdLength} digits (the DE 32 the host sends).");
        }

        CheckKeys(route, at, failures);
        CheckTls(route.Tls, at, failures);
        SafOptionsCheck.Check(route, at, failures);
        StandInOptionsCheck.Check(route, at, failures);
    }

    private static void CheckKeys(RouteOptions route, string at, List<string> failures)
    {
        if (!ZoneKey.TryLoad(route.ZonePinKey, route.ZonePinKeyFile, $"{at}:ZonePinKey", out var pinKey, out var problem))
        {
            failures.Add(problem);
        }
        else if (pinKey is null)
        {
            failures.Add($"{at}:ZonePinKey is not set: give the issuer's ZPK through the environment (SOCKETATM_Routing__Routes__{at[(at.LastIndexOf(':') + 1)..]}__ZonePinKey) or a file ({at}:ZonePinKeyFile).");
        }

        if (!ZoneKey.TryLoad(route.ZoneMacKey, route.ZoneMacKeyFile, $"{at}:ZoneMacKey", out var macKey, out problem))
        {
            failures.Add(problem);
        }

        if (pinKey is not null && macKey is not null && pinKey.AsSpan().SequenceEqual(macKey))
        {
            failures.Add($"{at}:ZoneMacKey is the same key as {at}:ZonePinKey: a PIN key must never MAC.");
        }

        Array.Clear(pinKey ?? []);
        Array.Clear(macKey ?? []);
    }

    private static void CheckTls(RouteTlsOptions tls, string at, List<string> failures)
    {
        foreach (var (setting, path) in new[] { ("AuthorityBundle", tls.AuthorityBundle), ("ClientCertificatePath", tls.ClientCertificatePath), ("ClientKeyPath", tls.ClientKeyPath) })
        {
            if (path is not null && !File.Exists(path))
            {
                failures.Add($"{at}:Tls:{setting} '{path}' does not exist.");
                return;
            }
        }

        if (tls.Enabled && string.IsNullOrWhiteSpace(tls.AuthorityBundle))
        {
            failures.Add($"{at}:Tls:Enabled is true but {at}:Tls:AuthorityBundle is not set: give the PEM bundle of the authority that issued the issuer's certificate (the machine's trust store is never used).");
            return;
        }

        if (tls.ClientKeyPath is not null && tls.ClientCertificatePath is null)
        {
            failures.Add($"{at}:Tls:ClientKeyPath is set without {at}:Tls:ClientCertificatePath.");
            return;
        }

        if (tls.Enabled && UpstreamTlsCertificates.TryLoadAll(tls, at) is { } problem)
        {
            failures.Add(problem);
        }
    }

    private static bool IsDigits(string? text, int maxLength) =>
        !string.IsNullOrEmpty(text) && text.Length <= maxLength && text.All(char.IsAsciiDigit);

    internal static void CheckRange(int value, int min, int max, string setting, List<string> failures)
    {
        if (value < min || value > max)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{setting} must be between {min} and {max}."));
        }
    }

    internal static void CheckTime(TimeSpan value, TimeSpan max, string setting, string example, List<string> failures)
    {
        if (value <= TimeSpan.Zero || value > max)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{setting} must be a positive time span of at most {max:c} (e.g. {example})."));
        }
    }
}
