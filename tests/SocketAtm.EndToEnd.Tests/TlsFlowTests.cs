using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using SocketAtm.Protocol.Iso8583;

namespace SocketAtm.EndToEnd.Tests;

/// <summary>The whole stack over TLS with certificates made by the test: server TLS, mutual TLS and terminal binding, refusals.</summary>
public sealed class TlsFlowTests : IDisposable
{
    private const string HandshakesFailed = "socketatm.tls.handshakes.failed";
    private readonly TlsTestCertificates _certificates = TlsTestCertificates.Create();

    public void Dispose() => _certificates.Dispose();

    [Fact]
    public async Task Sign_on_withdrawal_balance_and_reversal_run_over_tls_with_a_pkcs12_certificate()
    {
        await using var host = await TlsHost.StartAsync(_certificates.ServerArguments);
        var (client, tls) = await _certificates.ConnectAsync(host.EndPoint);
        Assert.True(tls.SslProtocol is SslProtocols.Tls12 or SslProtocols.Tls13, tls.SslProtocol.ToString());
        await using var atm = await TestTerminal.AttachAsync(tls, client);

        var withdrawalStan = TestTerminal.NextStan();
        var withdrawal = await atm.ExchangeAsync(atm.Withdrawal(4000, withdrawalStan));
        var balanceAfterWithdrawal = await atm.ExchangeAsync(atm.Balance(TestTerminal.NextStan()));
        var reversal = await atm.ExchangeAsync(atm.Reversal(4000, TestTerminal.NextStan(), withdrawalStan));
        var balanceAfterReversal = await atm.ExchangeAsync(atm.Balance(TestTerminal.NextStan()));

        Assert.Equal("00", withdrawal.GetString(39));
        Assert.Equal(6, withdrawal.GetString(38)!.Length);
        Assert.Equal("00", balanceAfterWithdrawal.GetString(39));
        Assert.EndsWith("000000096000", balanceAfterWithdrawal.GetString(54), StringComparison.Ordinal);
        Assert.Equal(410, reversal.Mti);
        Assert.Equal("00", reversal.GetString(39));
        Assert.EndsWith("000000100000", balanceAfterReversal.GetString(54), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SslProtocols.Tls12)]
    [InlineData(SslProtocols.Tls13)]
    public async Task Tls_1_2_and_1_3_are_both_served(SslProtocols protocol)
    {
        await using var host = await TlsHost.StartAsync(_certificates.ServerArguments);
        var (client, tls) = await _certificates.ConnectAsync(host.EndPoint, protocols: protocol);
        await using var atm = await TestTerminal.AttachAsync(tls, client);

        Assert.Equal(protocol, tls.SslProtocol);
        Assert.Equal("00", (await atm.ExchangeAsync(atm.NetworkManagement(TestTerminal.NextStan(), "301"))).GetString(39));
    }

    [Fact]
    public async Task A_pem_certificate_with_a_separate_key_file_serves_tls()
    {
        await using var host = await TlsHost.StartAsync(
            "--Listener:Tls:Enabled=true", $"--Listener:Tls:CertificatePath={_certificates.ServerPemPath}", $"--Listener:Tls:KeyPath={_certificates.ServerKeyPath}");
        var (client, tls) = await _certificates.ConnectAsync(host.EndPoint);
        await using var atm = await TestTerminal.AttachAsync(tls, client);

        Assert.Equal("00", (await atm.ExchangeAsync(atm.NetworkManagement(TestTerminal.NextStan(), "301"))).GetString(39));
    }

    [Fact]
    public async Task A_client_certificate_bound_to_ATM00009_signs_on_ATM00009_and_ATM00010_is_answered_58()
    {
        await using var host = await TlsHost.StartAsync(_certificates.MutualTlsArguments);
        using var certificate = _certificates.IssueClient("ATM00009");
        var (client, tls) = await _certificates.ConnectAsync(host.EndPoint, certificate);
        await using var atm = await TestTerminal.AttachAsync(tls, client, "ATM00009", signOn: false);

        var ownSignOn = await atm.ExchangeAsync(atm.NetworkManagement(TestTerminal.NextStan(), "001"));
        var otherSignOn = await atm.ExchangeAsync(Other(atm.NetworkManagement(TestTerminal.NextStan(), "001"), "ATM00010"));
        var otherWithdrawal = await atm.ExchangeAsync(Other(atm.Withdrawal(4000, TestTerminal.NextStan()), "ATM00010"));
        var ownWithdrawal = await atm.ExchangeAsync(atm.Withdrawal(4000, TestTerminal.NextStan()));

        Assert.Equal("00", ownSignOn.GetString(39));
        Assert.Equal("58", otherSignOn.GetString(39));
        Assert.Equal("ATM00010", otherSignOn.GetString(41));
        Assert.Equal("58", otherWithdrawal.GetString(39));
        Assert.Equal("00", ownWithdrawal.GetString(39));
        Assert.Single(host.Logs.Containing("may speak for terminals \"ATM00009\""));
    }

    [Fact]
    public async Task A_concentrator_certificate_speaks_for_every_terminal_its_alternative_names_list()
    {
        await using var host = await TlsHost.StartAsync(_certificates.MutualTlsArguments);
        using var certificate = _certificates.IssueClient("Branch 12 concentrator", "ATM00009", "ATM00010");
        var (client, tls) = await _certificates.ConnectAsync(host.EndPoint, certificate);
        await using var atm = await TestTerminal.AttachAsync(tls, client, "ATM00009", signOn: false);

        Assert.Equal("00", (await atm.ExchangeAsync(atm.NetworkManagement(TestTerminal.NextStan(), "001"))).GetString(39));
        Assert.Equal("00", (await atm.ExchangeAsync(Other(atm.NetworkManagement(TestTerminal.NextStan(), "001"), "ATM00010"))).GetString(39));
        Assert.Equal("58", (await atm.ExchangeAsync(Other(atm.NetworkManagement(TestTerminal.NextStan(), "001"), "ATM00008"))).GetString(39));
    }

    [Fact]
    public async Task Without_binding_a_valid_client_certificate_may_speak_for_any_terminal()
    {
        await using var host = await TlsHost.StartAsync([.. _certificates.MutualTlsArguments, "--Listener:Tls:BindTerminalsToClientCertificate=false"]);
        using var certificate = _certificates.IssueClient("Trusted switch");
        var (client, tls) = await _certificates.ConnectAsync(host.EndPoint, certificate);
        await using var atm = await TestTerminal.AttachAsync(tls, client, "ATM00010");

        Assert.Equal("00", (await atm.ExchangeAsync(atm.NetworkManagement(TestTerminal.NextStan(), "301"))).GetString(39));
    }

    [Fact]
    public async Task A_terminal_without_a_client_certificate_is_refused_when_one_is_required()
    {
        await using var host = await TlsHost.StartAsync(_certificates.MutualTlsArguments);

        await AssertRefusedAsync(host, clientCertificate: null);

        Assert.Equal(1, await host.CountWhenAsync(HandshakesFailed + "/reason=rejected", 1));
        Assert.Single(host.Logs.Containing("TLS handshake with"));
    }

    [Fact]
    public async Task A_client_certificate_from_another_authority_is_refused()
    {
        await using var host = await TlsHost.StartAsync(_certificates.MutualTlsArguments);
        using var stranger = TlsTestCertificates.SelfSignedClient("ATM00009");

        await AssertRefusedAsync(host, stranger);

        Assert.Equal(1, await host.CountWhenAsync(HandshakesFailed + "/reason=rejected", 1));
    }

    [Fact]
    public async Task A_client_certificate_that_names_no_terminal_is_refused_when_terminals_are_bound()
    {
        await using var host = await TlsHost.StartAsync(_certificates.MutualTlsArguments);
        using var anonymous = _certificates.IssueClientWithSubject("O=Some Bank, OU=ATM estate");

        await AssertRefusedAsync(host, anonymous);

        Assert.Equal(1, await host.CountWhenAsync(HandshakesFailed + "/reason=no_terminal_in_certificate", 1));
    }

    [Fact]
    public async Task Plaintext_iso_8583_sent_to_the_tls_port_is_closed_at_once_and_tls_still_works()
    {
        await using var host = await TlsHost.StartAsync(_certificates.ServerArguments);
        using (var plain = new TcpClient())
        {
            await plain.ConnectAsync(host.EndPoint);
            var signOn = new IsoMessage { Mti = 800 };
            signOn.Set(7, TestTerminal.TransmissionDateTime);
            signOn.SetNumber(11, 1);
            signOn.Set(41, "ATM00009");
            signOn.Set(70, "001");
            var bytes = IsoMessageWriter.ToArray(signOn);
            await plain.GetStream().WriteAsync((byte[])[(byte)(bytes.Length >> 8), (byte)bytes.Length, .. bytes]);

            Assert.True(await ClosedWithinAsync(plain.GetStream(), TimeSpan.FromSeconds(5)));
        }

        Assert.Equal(1, await host.CountWhenAsync(HandshakesFailed + "/reason=rejected", 1));
        var (client, tls) = await _certificates.ConnectAsync(host.EndPoint);
        await using var atm = await TestTerminal.AttachAsync(tls, client);
        Assert.Equal("00", (await atm.ExchangeAsync(atm.NetworkManagement(TestTerminal.NextStan(), "301"))).GetString(39));
    }

    [Fact]
    public async Task A_connection_that_never_starts_its_handshake_is_closed_after_the_handshake_timeout()
    {
        await using var host = await TlsHost.StartAsync([.. _certificates.ServerArguments, "--Listener:Tls:HandshakeTimeout=00:00:01"]);
        using var silent = new TcpClient();
        await silent.ConnectAsync(host.EndPoint);

        Assert.True(await ClosedWithinAsync(silent.GetStream(), TimeSpan.FromSeconds(10)));
        Assert.Equal(1, await host.CountWhenAsync(HandshakesFailed + "/reason=timeout", 1));
    }

    [Fact]
    public async Task A_graceful_stop_closes_tls_connections_and_cuts_handshakes_short()
    {
        await using var host = await TlsHost.StartAsync(_certificates.ServerArguments);
        var (client, tls) = await _certificates.ConnectAsync(host.EndPoint);
        await using var atm = await TestTerminal.AttachAsync(tls, client);
        using var silent = new TcpClient();
        await silent.ConnectAsync(host.EndPoint);
        await Task.Delay(100); // the host has accepted it and waits for its ClientHello (for up to 10 s)

        var stopping = System.Diagnostics.Stopwatch.StartNew();
        await host.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(5), stopping.Elapsed.ToString());
        await Assert.ThrowsAsync<IOException>(() => atm.ReceiveAsync());
        Assert.True(await ClosedWithinAsync(silent.GetStream(), TimeSpan.FromSeconds(5)));
        Assert.Equal(1, await host.CountWhenAsync(HandshakesFailed + "/reason=host_stopping", 1));
    }

    private static IsoMessage Other(IsoMessage message, string terminalId)
    {
        message.Set(41, terminalId);
        return message;
    }

    /// <summary>
    /// With TLS 1.3 the client may finish its side before the host has judged its certificate, so a refusal shows either
    /// as a failed handshake or as a connection closed before any answer.
    /// </summary>
    private async Task AssertRefusedAsync(TlsHost host, System.Security.Cryptography.X509Certificates.X509Certificate2? clientCertificate)
    {
        Exception? refusal = null;
        try
        {
            var (client, tls) = await _certificates.ConnectAsync(host.EndPoint, clientCertificate);
            await using var atm = await TestTerminal.AttachAsync(tls, client, signOn: false);
            await atm.ExchangeAsync(atm.NetworkManagement(TestTerminal.NextStan(), "301"));
        }
        catch (Exception exception) when (exception is AuthenticationException or IOException)
        {
            refusal = exception;
        }

        Assert.NotNull(refusal);
    }

    private static async Task<bool> ClosedWithinAsync(NetworkStream stream, TimeSpan bound)
    {
        using var timeout = new CancellationTokenSource(bound);
        var buffer = new byte[256];
        try
        {
            while (await stream.ReadAsync(buffer, timeout.Token) > 0)
            {
                // A TLS alert may come first; the close follows.
            }

            return true;
        }
        catch (IOException)
        {
            return true; // reset: closed just the same
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
