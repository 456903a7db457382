using System.Globalization;
using Microsoft.Extensions.Options;
using SocketAtm.Server.Routing;
using SocketAtm.Server.Transport;
using SocketAtm.Server.Upstream;

namespace SocketAtm.Server.Hosting;

/// <summary>
/// Off loopback, a route's key files — the ZPK (<c>Routing:Routes:N:ZonePinKeyFile</c>), the ZAK (<c>:ZoneMacKeyFile</c>)
/// and the stand-in PVK (<c>:StandIn:PinVerificationKeyFile</c>) — must be owner-only: the ZPK opens every PIN block sent
/// to the issuer, and the PVK turns any PVV on a card's track into its PIN by trying 10,000, so no other account on the
/// machine may read (or replace) them. Refused at start with one line per file, as the key-encryption key file is
/// (<see cref="KeyEncryptionKeyFileCheck"/>). Not checked for a key given directly (from the environment), nor on loopback.
/// </summary>
internal sealed class RouteKeyFileCheck(IOptions<ListenerOptions> listener) : IValidateOptions<RoutingOptions>
{
    public ValidateOptionsResult Validate(string? name, RoutingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var address = listener.Value;
        if (address.IsLoopback)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        for (var index = 0; index < options.Routes.Count; index++)
        {
            var route = options.Routes[index];
            var at = RoutingOptionsValidator.Setting(index);
            Check(route.ZonePinKey, route.ZonePinKeyFile, $"{at}:{nameof(RouteOptions.ZonePinKeyFile)}", address, failures);
            Check(route.ZoneMacKey, route.ZoneMacKeyFile, $"{at}:{nameof(RouteOptions.ZoneMacKeyFile)}", address, failures);
            Check(route.StandIn.PinVerificationKey, route.StandIn.PinVerificationKeyFile, $"{at}:{StandInOptions.PinVerificationKeySetting}File", address, failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The file of a key is used only when the key itself is not given.</summary>
    private static void Check(string? key, string? file, string setting, ListenerOptions address, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(key) && !string.IsNullOrWhiteSpace(file) && KeyFileMode.IsOpenToOthers(file, out var octal))
        {
            failures.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"{setting} '{file}' is open to group or others (mode {octal}) and Listener:Address {address.Address} is not loopback: make it owner-only (chmod 600)."));
        }
    }
}
