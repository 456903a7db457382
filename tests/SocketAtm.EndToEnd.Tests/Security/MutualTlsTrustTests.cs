using System.Security.Authentication;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.EndToEnd.Tests.Security;

/// <summary>
/// The attack: a terminal certificate from an authority the machine trusts — a public or corporate CA, not the bank's
/// private terminal authority — must not open a mutual-TLS host. The real host process runs with the machine's trust
/// store pointed (SSL_CERT_FILE) at another authority, which has issued the attacker's client certificate for ATM00009:
/// only the configured bundle may decide.
/// </summary>
public sealed class MutualTlsTrustTests : IDisposable
{
    private readonly TlsTestCertificates _terminalAuthority = TlsTestCertificates.Create();
    private readonly TlsTestCertificates _machineTrusted = TlsTestCertificates.Create();
    private readonly string _data = Path.Combine(Path.GetTempPath(), "socketatm-mtls-" + Guid.NewGuid().ToString("N")[..12]);

    [Fact]
    public async Task A_client_certificate_from_an_authority_the_machine_trusts_but_the_bundle_does_not_is_refused()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            // What OpenSSL, and so .NET on Linux, takes for the machine's trusted roots.
            ["SSL_CERT_FILE"] = _machineTrusted.AuthorityPemPath,
            ["SSL_CERT_DIR"] = _machineTrusted.Directory,
        };
        await using var host = ServerProcess.Start(["--port", "0", "--data", _data, .. _terminalAuthority.MutualTlsArguments], environment);
        Assert.True(await host.ListensAsync(), string.Join('\n', host.ErrorLines));
        using var ours = _terminalAuthority.IssueClient("ATM00009");
        using var trustedElsewhere = _machineTrusted.IssueClient("ATM00009");

        Assert.Equal(ResponseCodes.Approved, await SignOnAsync(host, ours));
        await Assert.ThrowsAsync<RefusedException>(() => SignOnAsync(host, trustedElsewhere));
        Assert.True(await host.WaitForOutputAsync("TLS handshake", TimeSpan.FromSeconds(10)), host.Output);
        await host.StopAsync();
    }

    public void Dispose()
    {
        _terminalAuthority.Dispose();
        _machineTrusted.Dispose();
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    private async Task<string?> SignOnAsync(ServerProcess host, System.Security.Cryptography.X509Certificates.X509Certificate2 clientCertificate)
    {
        try
        {
            var (client, tls) = await _terminalAuthority.ConnectAsync(host.EndPoint, clientCertificate);
            await using var atm = await TestTerminal.AttachAsync(tls, client, signOn: false);
            return (await atm.ExchangeAsync(atm.NetworkManagement(TestTerminal.NextStan(), "001"))).GetString(DataElements.ResponseCode);
        }
        catch (Exception exception) when (exception is AuthenticationException or IOException)
        {
            throw new RefusedException(exception);
        }
    }

    private sealed class RefusedException(Exception inner) : Exception("The host refused the connection.", inner);
}
