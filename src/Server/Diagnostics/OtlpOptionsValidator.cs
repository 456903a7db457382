using System.Globalization;
using Microsoft.Extensions.Options;

namespace SocketAtm.Server.Diagnostics;

/// <summary>Telemetry:Otlp checked at start, one line each: an absolute http(s) endpoint, a known protocol, a ratio from 0 to 1, logs only with an endpoint.</summary>
internal sealed class OtlpOptionsValidator : IValidateOptions<OtlpOptions>
{
    public ValidateOptionsResult Validate(string? name, OtlpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.IsEnabled)
        {
            // Asked for logs and given nowhere to send them: said at start rather than silently sending nothing.
            return options.Logs
                ? ValidateOptionsResult.Fail($"{OtlpOptions.SectionName}:Logs=true needs {OtlpOptions.SectionName}:Endpoint (or {OtlpOptions.EndpointVariable}): there is no collector to send the logs to.")
                : ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (options.EndpointUri is null)
        {
            // The value itself is not repeated: it may carry a credential in its user information.
            failures.Add($"{OtlpOptions.SectionName}:Endpoint (or {OtlpOptions.EndpointVariable}) must be an absolute http:// or https:// URI, such as http://collector:4318.");
        }

        if (options.Protocol is { } protocol && !string.IsNullOrWhiteSpace(protocol)
            && !string.Equals(protocol.Trim(), OtlpOptions.HttpProtobuf, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(protocol.Trim(), OtlpOptions.Grpc, StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"{OtlpOptions.SectionName}:Protocol (or {OtlpOptions.ProtocolVariable}) must be {OtlpOptions.HttpProtobuf} or {OtlpOptions.Grpc}, not '{protocol}'.");
        }

        if (!(options.SampleRatio is >= 0 and <= 1))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{OtlpOptions.SectionName}:SampleRatio must be between 0 and 1, not {options.SampleRatio}."));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
