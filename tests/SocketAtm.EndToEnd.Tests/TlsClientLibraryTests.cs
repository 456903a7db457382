using System.Security.Cryptography.X509Certificates;
using SocketAtm.Client;

namespace SocketAtm.EndToEnd.Tests;

/// <summary>The terminal client library over TLS and mutual TLS, as the emulator and the load harness use it.</summary>
public sealed class TlsClientLibraryTests : IDisposable
{
    private readonly TlsTestCertificates _certificates = TlsTestCertificates.Create();

    public void Dispose() => _certificates.Dispose();

    [Fact]
    public async Task The_client_library_withdraws_over_mutual_tls_with_a_certificate_bound_to_its_terminal()
    {
        await using var host = await TlsHost.StartAsync(_certificates.MutualTlsArguments);
        var clientPfx = Path.Combine(_certificates.Directory, "atm00009.pfx");
        using (var certificate = _certificates.IssueClient("ATM00009"))
        {
            await File.WriteAllBytesAsync(clientPfx, certificate.Export(X509ContentType.Pkcs12, "client-pfx-password"));
        }

        await using var atm = await AtmTerminalClient.ConnectAsync(
            new TerminalConnectionOptions
            {
                Port = host.EndPoint.Port,
                Tls = new TlsClientOptions
                {
                    ServerName = "localhost",
                    CertificateAuthorityPath = _certificates.AuthorityPemPath,
                    ClientCertificatePath = clientPfx,
                    ClientCertificatePassword = "client-pfx-password",
                },
            },
            new TerminalClientOptions { TerminalId = "ATM00009" });

        var result = await atm.WithdrawAsync("4761739001010119", "1234", 4_000);

        var approved = Assert.IsType<TransactionApproved>(result);
        Assert.Equal(96_000, approved.Balance!.Ledger);
    }

    [Fact]
    public async Task The_client_library_refuses_a_host_whose_certificate_its_authority_does_not_vouch_for()
    {
        await using var host = await TlsHost.StartAsync(_certificates.ServerArguments);
        using var stranger = TlsTestCertificates.Create();

        var connecting = AtmTerminalClient.ConnectAsync(
            new TerminalConnectionOptions
            {
                Port = host.EndPoint.Port,
                ConnectTimeout = TimeSpan.FromSeconds(2),
                Tls = new TlsClientOptions { ServerName = "localhost", CertificateAuthorityPath = stranger.AuthorityPemPath },
            },
            new TerminalClientOptions { TerminalId = "ATM00009" },
            new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token);

        await Assert.ThrowsAnyAsync<Exception>(() => connecting);
    }
}
