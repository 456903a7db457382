using System.Diagnostics.Metrics;
using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Security;
using SocketAtm.Protocol.Vocabulary;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Model;

namespace SocketAtm.EndToEnd.Tests.Security;

/// <summary>
/// The attack: a host listens off loopback; someone on the network who knows the id of a terminal without a MAC key
/// (ATM00009: printed on the machine, on receipts) signs on as it and withdraws with a card and PIN they hold. Nothing in
/// such a terminal's messages proves who sent them, so the host must refuse its financial requests (58, journaled and
/// counted, moving nothing) unless the connection vouches for the terminal: mutual TLS whose client certificate names it.
/// MAC terminals are not affected, sign-on stays open (a health check signs on such a terminal), the start-up log names
/// the terminals concerned, and <c>Security:AllowTerminalsWithoutMac</c> relaxes it with a warning at every start.
/// </summary>
public sealed class UnauthenticatedTerminalTests : IDisposable
{
    private const string NoMac = "ATM00009";
    private const string Events = "socketatm.security.events/reason=unauthenticated_terminal";
    private const string TerminalsWarning = "Terminals without a MAC key (2: ";

    private readonly TlsTestCertificates _certificates = TlsTestCertificates.Create();

    public void Dispose() => _certificates.Dispose();

    [Fact]
    public async Task Off_loopback_a_withdrawal_of_a_terminal_without_a_MAC_key_is_refused_58_moves_nothing_and_MAC_terminals_are_served()
    {
        await using var host = await StartAsync(["--Listener:AllowPlaintext=true"]);
        using var counters = new CounterTotals(host.Services.GetRequiredService<IMeterFactory>());

        // Signing on works (as a health check's): only what moves money is refused.
        await using var attacker = await TestTerminal.ConnectAsync(Through(host), NoMac);
        var withdrawal = await attacker.ExchangeAsync(WithTrack2(attacker.Withdrawal(40_000, TestTerminal.NextStan())));
        var inquiry = await attacker.ExchangeAsync(WithTrack2(attacker.Balance(TestTerminal.NextStan())));
        var echo = await attacker.ExchangeAsync(attacker.NetworkManagement(TestTerminal.NextStan(), "301"));

        Assert.Equal(ResponseCodes.NotPermittedToTerminal, withdrawal.GetString(DataElements.ResponseCode));
        Assert.False(withdrawal.Has(DataElements.AuthorizationId) || withdrawal.Has(DataElements.AdditionalAmounts));
        Assert.Equal(ResponseCodes.NotPermittedToTerminal, inquiry.GetString(DataElements.ResponseCode));
        Assert.False(inquiry.Has(DataElements.AdditionalAmounts)); // not even the balance
        Assert.Equal(ResponseCodes.Approved, echo.GetString(DataElements.ResponseCode));
        var admin = host.Services.GetRequiredService<ILedgerAdmin>();
        Assert.Equal(100_000, (await admin.GetCardBalanceAsync(DemoCards.Active, CancellationToken.None))!.LedgerBalance);
        var journal = await admin.ListJournalForTerminalAsync(NoMac, 10, CancellationToken.None);
        Assert.Equal(2, journal.Count(entry => entry.Disposition == JournalDisposition.Rejected && entry.ResponseCode == ResponseCodes.NotPermittedToTerminal));
        Assert.Equal(2, counters.Count(Events));

        // A MAC terminal over the same kind of connection: its MAC proves it, and it is served.
        await using var macTerminal = await TestTerminal.ConnectAsync(Through(host), "ATM00001", signOn: false);
        Assert.Equal(ResponseCodes.Approved, (await macTerminal.ExchangeAsync(Signed(macTerminal.NetworkManagement(TestTerminal.NextStan(), "001")))).GetString(DataElements.ResponseCode));
        var approved = await macTerminal.ExchangeAsync(Signed(WithTrack2(macTerminal.Withdrawal(4_000, TestTerminal.NextStan()))));
        Assert.Equal(ResponseCodes.Approved, approved.GetString(DataElements.ResponseCode));
        Assert.Equal(96_000, (await admin.GetCardBalanceAsync(DemoCards.Active, CancellationToken.None))!.LedgerBalance);

        // The start-up log said so, naming the demo terminals without a MAC key, and only them.
        var warning = Assert.Single(host.Logs.Lines, line => line.Contains("Terminals without a MAC key", StringComparison.Ordinal));
        Assert.Contains(TerminalsWarning, warning, StringComparison.Ordinal);
        Assert.Contains("ATM00009, ATM00010", warning, StringComparison.Ordinal); // the captured line quotes the list; the console does not
        Assert.Contains("are answered 58 to every financial request", warning, StringComparison.Ordinal);
        Assert.Contains("this listener binds none", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("ATM00001", warning, StringComparison.Ordinal);
    }

    public static TheoryData<string, string[], string> TlsModes => new()
    {
        // How the connection is made, the settings beyond the server certificate, what the withdrawal gets.
        { "mutual TLS, certificate naming the terminal", ["--Listener:Tls:RequireClientCertificate=true"], ResponseCodes.Approved },
        { "mutual TLS without terminal binding", ["--Listener:Tls:RequireClientCertificate=true", "--Listener:Tls:BindTerminalsToClientCertificate=false"], ResponseCodes.NotPermittedToTerminal },
        { "server TLS only", [], ResponseCodes.NotPermittedToTerminal },
    };

    [Theory]
    [MemberData(nameof(TlsModes))]
    public async Task Off_loopback_only_a_client_certificate_that_names_the_terminal_lets_it_withdraw(string mode, string[] settings, string expected)
    {
        var clientCertificates = settings.Length > 0 ? [$"--Listener:Tls:ClientCertificateAuthorityPath={_certificates.AuthorityPemPath}"] : Array.Empty<string>();
        await using var host = await StartAsync([.. _certificates.ServerArguments, .. settings, .. clientCertificates]);
        using var certificate = _certificates.IssueClient(NoMac);
        var (client, tls) = await _certificates.ConnectAsync(Through(host), settings.Length > 0 ? certificate : null);
        await using var atm = await TestTerminal.AttachAsync(tls, client, NoMac);

        var withdrawal = await atm.ExchangeAsync(WithTrack2(atm.Withdrawal(4_000, TestTerminal.NextStan())));

        Assert.True(expected == withdrawal.GetString(DataElements.ResponseCode), $"{mode}: {withdrawal.GetString(DataElements.ResponseCode)}");
        var balance = (await host.Services.GetRequiredService<ILedgerAdmin>().GetCardBalanceAsync(DemoCards.Active, CancellationToken.None))!.LedgerBalance;
        Assert.Equal(expected == ResponseCodes.Approved ? 96_000 : 100_000, balance);
        var warning = Assert.Single(host.Logs.Lines, line => line.Contains("Terminals without a MAC key", StringComparison.Ordinal));
        Assert.Contains(
            expected == ResponseCodes.Approved ? "unless they connect over mutual TLS with a client certificate naming them" : "this listener binds none",
            warning,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_Security_AllowTerminalsWithoutMac_they_withdraw_over_any_connection_with_a_warning_at_every_start()
    {
        for (var start = 0; start < 2; start++)
        {
            await using var host = await StartAsync(["--Listener:AllowPlaintext=true", "--Security:AllowTerminalsWithoutMac=true"]);
            await using var atm = await TestTerminal.ConnectAsync(Through(host), NoMac);

            var withdrawal = await atm.ExchangeAsync(WithTrack2(atm.Withdrawal(4_000, TestTerminal.NextStan())));

            Assert.Equal(ResponseCodes.Approved, withdrawal.GetString(DataElements.ResponseCode));
            Assert.Single(host.Logs.Lines, line => line.StartsWith("Security:AllowTerminalsWithoutMac is true", StringComparison.Ordinal));
            Assert.DoesNotContain(host.Logs.Lines, line => line.Contains("Terminals without a MAC key", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task On_loopback_they_withdraw_over_any_connection_and_nothing_is_warned()
    {
        var logs = new CapturingSink();
        await using var host = await RunningHost.StartWithServicesAsync(services => services.AddSingleton<ILogEventSink>(logs), "--Security:AllowTerminalsWithoutMac=true");
        await using var atm = await TestTerminal.ConnectAsync(host.EndPoint, NoMac);

        Assert.Equal(ResponseCodes.Approved, (await atm.ExchangeAsync(atm.Withdrawal(4_000, TestTerminal.NextStan()))).GetString(DataElements.ResponseCode));
        Assert.DoesNotContain(logs.Lines, line => line.Contains("without a MAC key", StringComparison.Ordinal) || line.Contains("AllowTerminalsWithoutMac", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Off_loopback_a_key_exchange_for_a_terminal_without_a_MAC_key_is_refused_and_a_flood_of_refusals_is_throttled()
    {
        await using var host = await StartAsync(["--Listener:AllowPlaintext=true", "--Security:ViolationThreshold=5"]);
        using var counters = new CounterTotals(host.Host.Services.GetRequiredService<IMeterFactory>());
        await using var attacker = await TestTerminal.ConnectAsync(Through(host), NoMac);

        var exchange = await attacker.ExchangeAsync(attacker.NetworkManagement(TestTerminal.NextStan(), "161"));
        var answers = new List<string?>();
        for (var sent = 0; sent < 40; sent++)
        {
            answers.Add((await attacker.ExchangeAsync(WithTrack2(attacker.Withdrawal(40_000, TestTerminal.NextStan())))).GetString(DataElements.ResponseCode));
        }

        Assert.Equal(ResponseCodes.NotPermittedToTerminal, exchange.GetString(DataElements.ResponseCode));
        Assert.False(exchange.Has(DataElements.AdditionalData));
        Assert.All(answers, code => Assert.Equal(ResponseCodes.NotPermittedToTerminal, code));
        var terminal = await host.Host.Services.GetRequiredService<ILedger>().FindTerminalAsync(NoMac, CancellationToken.None);
        Assert.Null(terminal!.PendingKeys);
        var journal = await host.Host.Services.GetRequiredService<ILedgerAdmin>().ListJournalForTerminalAsync(NoMac, 100, CancellationToken.None);
        Assert.Equal(5, journal.Count(entry => entry.Disposition == JournalDisposition.Rejected)); // then throttled: no write each
        Assert.Equal(36, counters.Count(Events + "/throttled=True"));
    }

    /// <summary>
    /// The real host on 0.0.0.0 — off loopback — with the demo data allowed there (so that its terminals and cards exist;
    /// warned at start) and the KEK given outside the data directory, logging its warnings to <see cref="OffLoopbackHost.Logs"/>.
    /// </summary>
    private static async Task<OffLoopbackHost> StartAsync(string[] settings)
    {
        var logs = new CapturingSink();
        var host = await RunningHost.StartWithServicesAsync(
            services => services.AddSingleton<ILogEventSink>(logs),
            [
                "--address", "0.0.0.0",
                "--Ledger:AllowDemoData=true",
                "--Ledger:KeyEncryptionKey=" + Convert.ToHexString(RandomNumberGenerator.GetBytes(32)),
                .. settings,
            ]);
        return new OffLoopbackHost(host, logs);
    }

    /// <summary>A host bound to 0.0.0.0 is reached, from this machine, through loopback: it is the listener that is off it.</summary>
    private static IPEndPoint Through(OffLoopbackHost host) => new(IPAddress.Loopback, host.Host.EndPoint.Port);

    /// <summary>The request naming its card by the demo card's genuine track 2, as a host off loopback requires.</summary>
    private static IsoMessage WithTrack2(IsoMessage request)
    {
        request.Remove(DataElements.PrimaryAccountNumber);
        request.Remove(DataElements.ExpirationDate);
        request.Set(DataElements.Track2, DemoCards.ActiveTrack2);
        return request;
    }

    private static IsoMessage Signed(IsoMessage request)
    {
        RetailMac.Sign(request, DemoKeys.MacKey);
        return request;
    }

    private sealed class OffLoopbackHost(RunningHost host, CapturingSink logs) : IAsyncDisposable
    {
        public RunningHost Host { get; } = host;

        public CapturingSink Logs { get; } = logs;

        public IServiceProvider Services => Host.Services;

        public ValueTask DisposeAsync() => Host.DisposeAsync();
    }
}
