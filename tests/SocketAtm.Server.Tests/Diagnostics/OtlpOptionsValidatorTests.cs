using Microsoft.Extensions.Configuration;
using SocketAtm.Server.Diagnostics;

namespace SocketAtm.Server.Tests.Diagnostics;

public sealed class OtlpOptionsValidatorTests
{
    [Fact]
    public void Logs_without_an_endpoint_fail_in_one_line_that_names_both_settings()
    {
        var result = new OtlpOptionsValidator().Validate(null, new OtlpOptions { Logs = true });

        Assert.True(result.Failed);
        var failure = Assert.Single(result.Failures!);
        Assert.Contains("Telemetry:Otlp:Logs=true needs Telemetry:Otlp:Endpoint (or OTEL_EXPORTER_OTLP_ENDPOINT)", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Logs_with_an_endpoint_and_no_logs_without_one_are_accepted()
    {
        var validator = new OtlpOptionsValidator();

        Assert.True(validator.Validate(null, new OtlpOptions { Logs = true, Endpoint = "http://collector:4318" }).Succeeded);
        Assert.True(validator.Validate(null, new OtlpOptions()).Succeeded);
    }

    [Theory]
    [InlineData(null, "true", false)]
    [InlineData("http://collector:4318", null, false)]
    [InlineData("http://collector:4318", "false", false)]
    [InlineData("http://collector:4318", "true", true)]
    [InlineData("collector:4318", "true", false)]
    public void Logs_are_passed_on_to_OTLP_only_when_asked_for_and_given_a_valid_endpoint(string? endpoint, string? logs, bool sends)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Telemetry:Otlp:Endpoint"] = endpoint, ["Telemetry:Otlp:Logs"] = logs })
            .Build();

        Assert.Equal(sends, TracingRegistration.SendsLogs(configuration));
    }
}
