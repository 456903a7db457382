using System.Globalization;
using Microsoft.Extensions.Options;
using SocketAtm.Server.Routing;
using SocketAtm.Server.Transport;
using SocketAtm.Server.Upstream;

namespace SocketAtm.Server.Hosting;

/// <summary>
/// Off loopback, a route's stand-in PVK file (<c>Routing:Routes:N:StandIn:PinVerificationKeyFile</c>) must be owner-only:
/// the issuer's PVK turns any PVV on a card's track into its PIN by trying 10,000, so no other account on the machine may
/// read (or replace) it. Refused at start with one line per route, as the key-encryption key file is
/// (<see cref="KeyEncryptionKeyFileCheck"/>). Not checked when the key is given directly (from the environment), nor on
/// loopback.
/// </summary>
internal sealed class StandInKeyFileCheck(IOptions<ListenerOptions> listener) : IValidateOptions<RoutingOptions>
{
    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    public ValidateOptionsResult Validate(string? name, RoutingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var address = listener.Value;
        if (address.IsLoopback || OperatingSystem.IsWindows())
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        for (var index = 0; index < options.Routes.Count; index++)
        {
            var standIn = options.Routes[index].StandIn;
            var file = standIn.PinVerificationKeyFile;
            if (!string.IsNullOrWhiteSpace(standIn.PinVerificationKey) || string.IsNullOrWhiteSpace(file) || !File.Exists(file))
            {
                continue;
            }

            var mode = File.GetUnixFileMode(file);
            if ((mode & GroupOrOthers) != 0)
            {
                failures.Add(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{RoutingOptionsValidator.Setting(index)}:{StandInOptions.PinVerificationKeySetting}File '{file}' is open to group or others (mode {Octal(mode)}) and Listener:Address {address.Address} is not loopback: make it owner-only (chmod 600)."));
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode & 0x1FF, 8).PadLeft(3, '0');
}
