using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SocketAtm.Server.Hosting;
using SocketAtm.Server.Operations;

namespace SocketAtm.Server.Tests.Operations;

/// <summary>The operations side's settings (README's Configuration): safe defaults, refused in one readable line when wrong.</summary>
public sealed class OperationsOptionsTests
{
    private const string GoodToken = "0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("Operations:Port must be between 0 and 65535.", "--ops-port", "70000")]
    [InlineData("Operations:Address 'not-an-ip' is not an IP address", "--Operations:Address=not-an-ip")]
    [InlineData("Operations:Address 0.0.0.0 is not loopback and no operator credential is set", "--Operations:Address=0.0.0.0")]
    [InlineData("Operations:Address :: is not loopback and no operator credential is set", "--Operations:Address=::")]
    [InlineData("Operations:Token must be at least 16 characters", "--Operations:Token=short")]
    [InlineData("Operations:TokenFile '/nonexistent/ops.token' cannot be read", "--Operations:Address=0.0.0.0", "--Operations:TokenFile=/nonexistent/ops.token")]
    public void A_bad_setting_is_refused_with_one_readable_line(string expected, params string[] settings)
    {
        using var host = ServerHost.Build(["--data", Path.GetTempPath(), .. settings]);

        var failure = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<OperationsOptions>>().Value);

        Assert.True(StartupFailure.TryDescribe(failure, out var message));
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }

    [Theory]
    [InlineData("--Operations:Address=0.0.0.0", "--Operations:Token=" + GoodToken)]
    [InlineData("--Operations:Address=localhost")]
    [InlineData("--Operations:Address=0.0.0.0", "--Operations:Enabled=false")]
    public void Off_loopback_with_a_token_loopback_without_one_or_disabled_is_accepted(params string[] settings)
    {
        using var host = ServerHost.Build(["--data", Path.GetTempPath(), .. settings]);

        Assert.NotNull(host.Services.GetRequiredService<IOptions<OperationsOptions>>().Value);
    }

    [Fact]
    public void A_token_file_off_loopback_is_accepted_and_read_trimmed()
    {
        var file = Path.Combine(Path.GetTempPath(), "socketatm-ops-token-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(file, GoodToken + "\n");
        try
        {
            using var host = ServerHost.Build(["--data", Path.GetTempPath(), "--Operations:Address=0.0.0.0", "--Operations:TokenFile=" + file]);

            Assert.Equal(GoodToken, host.Services.GetRequiredService<IOptions<OperationsOptions>>().Value.ResolveToken());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void The_defaults_are_loopback_on_port_8590_and_enabled()
    {
        using var host = ServerHost.Build(["--data", Path.GetTempPath()]);

        var options = host.Services.GetRequiredService<IOptions<OperationsOptions>>().Value;
        Assert.Equal(("127.0.0.1", 8590, true, null), (options.Address, options.Port, options.Enabled, options.ResolveToken()));
        Assert.NotNull(host.Services.GetService<OperationsServer>());
    }

    [Fact]
    public void Disabled_adds_no_http_server()
    {
        using var host = ServerHost.Build(["--data", Path.GetTempPath(), "--Operations:Enabled=false"]);

        Assert.Null(host.Services.GetService<OperationsServer>());
    }

    [Fact]
    public void A_token_written_in_a_json_settings_file_is_refused()
    {
        var settings = Path.Combine(Path.GetTempPath(), "socketatm-settings-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(settings, $$"""{ "Operations": { "Token": "{{GoodToken}}" } }""");
        try
        {
            using var host = ServerHost.Build(["--data", Path.GetTempPath()], builder => builder.Configuration.AddJsonFile(settings));

            var failure = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<OperationsOptions>>().Value);

            Assert.True(StartupFailure.TryDescribe(failure, out var message));
            Assert.Contains("Operations:Token must not be written in appsettings.json", message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', message);
        }
        finally
        {
            File.Delete(settings);
        }
    }
}
