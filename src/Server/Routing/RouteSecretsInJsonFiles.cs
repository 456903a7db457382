using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Options;

namespace SocketAtm.Server.Routing;

/// <summary>
/// Refuses a zone key written in a JSON settings file (shipped beside the binary, often in version control), as the
/// host refuses <c>Ledger:KeyEncryptionKey</c> there: ZPKs, ZAKs and stand-in PVKs come from the environment, the command line or a file.
/// </summary>
internal sealed class RouteSecretsInJsonFiles(IConfiguration configuration) : IValidateOptions<RoutingOptions>
{
    private static readonly string[] SecretSettings = [nameof(RouteOptions.ZonePinKey), nameof(RouteOptions.ZoneMacKey), StandInOptions.PinVerificationKeySetting];

    public ValidateOptionsResult Validate(string? name, RoutingOptions options)
    {
        if (configuration is not IConfigurationRoot root)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        var jsonFiles = root.Providers.OfType<JsonConfigurationProvider>().ToList();
        foreach (var route in root.GetSection(RoutingOptions.SectionName + ":Routes").GetChildren())
        {
            foreach (var secret in SecretSettings)
            {
                var key = route.Path + ":" + secret;
                if (jsonFiles.Any(file => file.TryGet(key, out var value) && !string.IsNullOrEmpty(value)))
                {
                    failures.Add(
                        $"{key} must not be written in appsettings.json: give it through the environment (SOCKETATM_{key.Replace(":", "__", StringComparison.Ordinal)}) or a file ({key}File).");
                }
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
