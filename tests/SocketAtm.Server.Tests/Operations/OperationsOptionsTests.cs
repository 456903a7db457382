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
    [InlineData("Operations:Address 0.0.0.0 is not loopback and Operations:Tls:CertificatePath is not set", "--Operations:Address=0.0.0.0", "--Operations:Token=" + GoodToken)]
    [InlineData("Operations:Tls:CertificatePath '/nonexistent/ops.pfx' does not exist", "--Operations:Tls:CertificatePath=/nonexistent/ops.pfx")]
    [InlineData("Operations:Tls:ClientCertificateAuthorityPath is set but Operations:Tls:CertificatePath is not", "--Operations:Tls:ClientCertificateAuthorityPath=/nonexistent/ca.pem")]
    [InlineData("Operations:SessionLifetime must be between one minute and seven days", "--Operations:SessionLifetime=00:00:10")]
    [InlineData("Operations:MaxFailedAttempts must be between 1 and 1000", "--Operations:MaxFailedAttempts=0")]
    [InlineData("Operations:FailedAttemptWindow must be between one second and one day", "--Operations:FailedAttemptWindow=00:00:00")]
    [InlineData("Operations:MaxTrackedAddresses must be between 1 and 1000000", "--Operations:MaxTrackedAddresses=0")]
    [InlineData("Operations:MaxSessions must be between 1 and 100000", "--Operations:MaxSessions=0")]
    public void A_bad_setting_is_refused_with_one_readable_line(string expected, params string[] settings)
    {
        using var host = ServerHost.Build(["--data", Path.GetTempPath(), .. settings]);

        var failure = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<OperationsOptions>>().Value);

        Assert.True(StartupFailure.TryDescribe(failure, out var message));
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }

    [Theory]
    [InlineData("--Operations:Address=0.0.0.0", "--Operations:Token=" + GoodToken, "--Operations:AllowPlaintext=true")]
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
            using var host = ServerHost.Build(["--data", Path.GetTempPath(), "--Operations:Address=0.0.0.0", "--Operations:TokenFile=" + file, "--Operations:AllowPlaintext=true"]);

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
    public void Off_loopback_a_certificate_and_a_client_authority_are_credential_and_tls_enough()
    {
        var directory = Directory.CreateTempSubdirectory("socketatm-ops-tls-");
        try
        {
            using var key = System.Security.Cryptography.ECDsa.Create();
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=ops", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            var pem = Path.Combine(directory.FullName, "ops.pem");
            File.WriteAllText(pem, certificate.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem());

            using var host = ServerHost.Build(
                ["--data", Path.GetTempPath(), "--Operations:Address=0.0.0.0", "--Operations:Tls:CertificatePath=" + pem, "--Operations:Tls:ClientCertificateAuthorityPath=" + pem]);

            var options = host.Services.GetRequiredService<IOptions<OperationsOptions>>().Value;
            Assert.Equal((true, true, null), (options.Tls.IsEnabled, options.Tls.AcceptsClientCertificates, options.ResolveToken()));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_access_defaults_are_an_eight_hour_session_and_five_failures_a_minute_from_at_most_10000_addresses()
    {
        using var host = ServerHost.Build(["--data", Path.GetTempPath()]);

        var options = host.Services.GetRequiredService<IOptions<OperationsOptions>>().Value;
        Assert.Equal(
            (TimeSpan.FromHours(8), 5, TimeSpan.FromMinutes(1), 10_000, 1_000, false, false),
            (options.SessionLifetime, options.MaxFailedAttempts, options.FailedAttemptWindow, options.MaxTrackedAddresses, options.MaxSessions, options.AllowPlaintext, options.Tls.IsEnabled));
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
