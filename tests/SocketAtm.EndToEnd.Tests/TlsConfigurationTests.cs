using SocketAtm.Server.Hosting;

namespace SocketAtm.EndToEnd.Tests;

/// <summary>A TLS setting that cannot work stops the start with one readable line, and never shows the password.</summary>
public sealed class TlsConfigurationTests : IDisposable
{
    private readonly TlsTestCertificates _certificates = TlsTestCertificates.Create();

    public void Dispose() => _certificates.Dispose();

    [Fact]
    public async Task A_missing_certificate_file_stops_the_start_naming_the_file()
    {
        var missing = Path.Combine(_certificates.Directory, "absent.pfx");

        var message = await StartFailureAsync("--Listener:Tls:Enabled=true", $"--Listener:Tls:CertificatePath={missing}");

        Assert.Contains("Listener:Tls:CertificatePath", message, StringComparison.Ordinal);
        Assert.Contains(missing, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_pkcs12_password_stops_the_start_without_showing_the_password()
    {
        const string wrong = "not-the-password-4711";

        var message = await StartFailureAsync("--Listener:Tls:Enabled=true", $"--Listener:Tls:CertificatePath={_certificates.ServerPfxPath}", $"--Listener:Tls:Password={wrong}");

        Assert.Contains(_certificates.ServerPfxPath, message, StringComparison.Ordinal);
        Assert.Contains("Listener:Tls:Password", message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, message, StringComparison.Ordinal);
        Assert.DoesNotContain(TlsTestCertificates.PfxPassword, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pem_certificate_without_its_key_stops_the_start()
    {
        var message = await StartFailureAsync("--Listener:Tls:Enabled=true", $"--Listener:Tls:CertificatePath={_certificates.ServerPemPath}");

        Assert.Contains(_certificates.ServerPemPath, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls_enabled_without_a_certificate_stops_the_start()
    {
        var message = await StartFailureAsync("--Listener:Tls:Enabled=true");

        Assert.Contains("Listener:Tls:CertificatePath is required", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_authority_without_requiring_client_certificates_stops_the_start()
    {
        var message = await StartFailureAsync([.. _certificates.ServerArguments, $"--Listener:Tls:ClientCertificateAuthorityPath={_certificates.AuthorityPemPath}"]);

        Assert.Contains("RequireClientCertificate", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requiring_client_certificates_without_a_private_authority_bundle_stops_the_start()
    {
        var message = await StartFailureAsync([.. _certificates.ServerArguments, "--Listener:Tls:RequireClientCertificate=true"]);

        Assert.Contains("Listener:Tls:ClientCertificateAuthorityPath is not set", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_authority_file_that_is_not_pem_stops_the_start()
    {
        var message = await StartFailureAsync([.. _certificates.ServerArguments, "--Listener:Tls:RequireClientCertificate=true", $"--Listener:Tls:ClientCertificateAuthorityPath={_certificates.ServerKeyPath}"]);

        Assert.Contains("ClientCertificateAuthorityPath", message, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", message, StringComparison.Ordinal);
    }

    private static async Task<string> StartFailureAsync(params string[] settings)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "socketatm-e2e-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var host = ServerHost.Build(["--port", "0", "--ops-port", "0", "--data", dataDirectory, "--Serilog:MinimumLevel:Default=Fatal", .. settings]);

            var failure = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

            Assert.True(StartupFailure.TryDescribe(failure, out var message), failure.ToString());
            Assert.DoesNotContain('\n', message);
            return message;
        }
        finally
        {
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }
}
