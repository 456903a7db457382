using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Options;
using SocketAtm.Server.Transport;

namespace SocketAtm.Server.Operations;

/// <summary>
/// The operations side's settings, checked at start with one line each: the address, a token kept out of
/// appsettings.json, a readable token file, no address off loopback without the operator credential or in plaintext
/// (unless <c>Operations:AllowPlaintext</c>), and TLS files that load.
/// </summary>
internal sealed class OperationsOptionsValidator(IConfiguration configuration) : IValidateOptions<OperationsOptions>
{
    /// <summary>Below this a token is guessable; 16 characters of a random token is the least worth sending.</summary>
    public const int MinimumTokenLength = 16;

    private const string TokenSetting = OperationsOptions.SectionName + ":" + nameof(OperationsOptions.Token);

    public ValidateOptionsResult Validate(string? name, OperationsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (!IPAddress.TryParse(options.Address, out _) && !string.Equals(options.Address?.Trim(), LoopbackAddress.LocalhostName, StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"Operations:Address '{options.Address}' is not an IP address (or localhost).");
        }

        if (TokenInJsonFile())
        {
            failures.Add($"{TokenSetting} must not be written in appsettings.json: give it through the environment (SOCKETATM_Operations__Token) or a file (Operations:TokenFile).");
        }

        var token = TryResolveToken(options, failures);
        if (token is { Length: < MinimumTokenLength })
        {
            failures.Add($"{TokenSetting} must be at least {MinimumTokenLength} characters (e.g. openssl rand -hex 32).");
        }

        if (token is null && !options.Tls.AcceptsClientCertificates && failures.Count == 0 && !options.IsLoopback)
        {
            failures.Add(
                $"Operations:Address {options.Address} is not loopback and no operator credential is set: give SOCKETATM_Operations__Token (or Operations:TokenFile, or client certificates with Operations:Tls:ClientCertificateAuthorityPath), or keep Operations:Address on 127.0.0.1.");
        }

        if (options.Tls.Problem() is { } tlsProblem)
        {
            failures.Add(tlsProblem);
        }
        else if (!options.Tls.IsEnabled && !options.IsLoopback && !options.AllowPlaintext)
        {
            failures.Add(
                $"Operations:Address {options.Address} is not loopback and Operations:Tls:CertificatePath is not set: the operator token and session cookie would cross the network in clear. Give the operations port a certificate (Operations:Tls:CertificatePath), or set Operations:AllowPlaintext=true (warned at every start).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private bool TokenInJsonFile() =>
        configuration is IConfigurationRoot root
        && root.Providers.OfType<JsonConfigurationProvider>().Any(file => file.TryGet(TokenSetting, out var value) && !string.IsNullOrEmpty(value));

    private static string? TryResolveToken(OperationsOptions options, List<string> failures)
    {
        try
        {
            return options.ResolveToken();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            failures.Add($"Operations:TokenFile '{options.TokenFile}' cannot be read: {exception.Message}");
            return null;
        }
    }
}
