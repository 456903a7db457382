using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using SocketAtm.Protocol.Security;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Sessions;

namespace SocketAtm.Server.Tests.Sessions;

/// <summary>
/// PROTOCOL.md §6 step 3 for terminals without a MAC key: off loopback (unless allowed) their financial requests are
/// served only over a connection whose client certificate names them; elsewhere 58, journaled as a security event and
/// never processed. Their network management, and MAC terminals, are not affected.
/// </summary>
public sealed class TerminalAuthenticationGateTests
{
    private const string NoMac = "ATM00009";
    private const string WithMac = "ATM00001";

    public static TheoryData<bool, bool, bool, string?, bool> Cases => new()
    {
        // any connection (loopback or allowed), terminal requires MAC, financial or key exchange, certificate names, admitted
        { true, false, true, null, true },
        { false, true, true, null, true },
        { false, false, false, null, true },
        { false, false, true, NoMac, true },
        { false, false, true, null, false },
        { false, false, true, "ATM00010", false }, // bound, but to another terminal (the dispatcher refuses that earlier too)
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Admits_a_request_only_when_a_MAC_or_the_connection_vouches_for_its_terminal(
        bool anyConnection, bool requiresMac, bool financial, string? certificateNames, bool admitted)
    {
        var gate = new TerminalAuthenticationGate(anyConnection, new NeverCalled(), NullLogger.Instance);
        var connection = new SessionTerminals(certificateNames is null ? null : id => id == certificateNames);
        var terminal = new TerminalRecord { TerminalId = NoMac, RequiresMac = requiresMac, MasterKey = new byte[16], PinKey = new byte[16], MacKey = new byte[16] };

        Assert.Equal(admitted, gate.Admits(terminal, financial, connection));
    }

    [Fact]
    public async Task Off_loopback_a_withdrawal_of_a_terminal_without_a_MAC_key_is_answered_58_and_journaled_never_decided()
    {
        await using var host = new SessionHarness(terminalsWithoutMacOnAnyConnection: false);
        await SignOnAsync(host, NoMac);
        await host.SendAsync(DemoRequests.Withdrawal(4000, stan: 2, terminalId: NoMac));

        var response = await host.ReceiveAsync();

        Assert.Equal(ResponseCodes.NotPermittedToTerminal, response!.GetString(39));
        Assert.Equal("000002", response.GetString(11)); // echoed, as every refusal
        Assert.False(response.Has(38) || response.Has(54) || response.Has(64));
        var journaled = Assert.Single(host.Ledger.Requests);
        Assert.True(journaled.IsUnauthenticatedTerminal);
        Assert.Equal(TransactionKind.Withdrawal, journaled.Kind);
        Assert.Equal(4000, journaled.Amount);
        Assert.Null(journaled.CandidatePvv); // the PIN was never looked at
    }

    [Theory]
    [InlineData(100)]
    [InlineData(201)]
    [InlineData(400)]
    [InlineData(421)]
    public async Task Every_financial_class_and_its_repeat_is_refused(int mti)
    {
        await using var host = new SessionHarness(terminalsWithoutMacOnAnyConnection: false);
        await SignOnAsync(host, NoMac);
        var request = mti / 100 == 4
            ? DemoRequests.Reversal(4000, stan: 8, originalStan: 1, terminalId: NoMac, mti: mti)
            : mti / 100 == 1 ? DemoRequests.BalanceInquiry(8, terminalId: NoMac, mti: mti) : DemoRequests.Withdrawal(4000, 8, terminalId: NoMac, mti: mti);
        await host.SendAsync(request);

        var response = await host.ReceiveAsync();

        Assert.Equal(MessageTypes.ResponseOf(mti), response!.Mti);
        Assert.Equal(ResponseCodes.NotPermittedToTerminal, response.GetString(39));
        var journaled = Assert.Single(host.Ledger.Requests);
        Assert.True(journaled.IsUnauthenticatedTerminal);
        Assert.Equal(mti, journaled.Mti);
        Assert.Equal(
            mti / 100 == 4 ? TransactionKind.Reversal : mti / 100 == 1 ? TransactionKind.BalanceInquiry : TransactionKind.Withdrawal,
            journaled.Kind);
    }

    [Fact]
    public async Task Over_a_connection_whose_certificate_names_it_the_withdrawal_is_processed()
    {
        await using var host = new SessionHarness(terminalsWithoutMacOnAnyConnection: false, mayServeTerminal: id => id == NoMac);
        await SignOnAsync(host, NoMac);
        await host.SendAsync(DemoRequests.Withdrawal(4000, stan: 3, terminalId: NoMac));

        var response = await host.ReceiveAsync();

        Assert.Equal(ResponseCodes.Approved, response!.GetString(39));
        Assert.False(Assert.Single(host.Ledger.Requests).IsUnauthenticatedTerminal);
    }

    [Fact]
    public async Task On_loopback_or_when_allowed_the_withdrawal_is_processed_over_any_connection()
    {
        await using var host = new SessionHarness(terminalsWithoutMacOnAnyConnection: true);
        await SignOnAsync(host, NoMac);
        await host.SendAsync(DemoRequests.Withdrawal(4000, stan: 4, terminalId: NoMac));

        Assert.Equal(ResponseCodes.Approved, (await host.ReceiveAsync())!.GetString(39));
        Assert.False(Assert.Single(host.Ledger.Requests).IsUnauthenticatedTerminal);
    }

    [Fact]
    public async Task A_MAC_terminal_is_not_affected_off_loopback()
    {
        await using var host = new SessionHarness(terminalsWithoutMacOnAnyConnection: false);
        await SignOnAsync(host, WithMac);
        var request = DemoRequests.Withdrawal(4000, stan: 5, terminalId: WithMac);
        RetailMac.Sign(request, FakeLedger.DemoMacKey);
        await host.SendAsync(request);

        var response = await host.ReceiveAsync();

        Assert.Equal(ResponseCodes.Approved, response!.GetString(39));
        Assert.True(RetailMac.Verify(FakeLedger.DemoMacKey, response));
    }

    [Theory]
    [InlineData("001")]
    [InlineData("301")]
    [InlineData("002")]
    public async Task Network_management_stays_open_to_a_terminal_without_a_MAC_key(string code)
    {
        await using var host = new SessionHarness(terminalsWithoutMacOnAnyConnection: false);
        await host.SendAsync(DemoRequests.NetworkManagement(NoMac, 9, code));

        Assert.Equal(ResponseCodes.Approved, (await host.ReceiveAsync())!.GetString(39));
        Assert.DoesNotContain(host.Ledger.Requests, request => request.IsUnauthenticatedTerminal);
    }

    [Fact]
    public async Task A_key_exchange_is_refused_58_and_issues_nothing_since_new_pending_keys_would_make_the_real_terminals_PINs_wrong()
    {
        await using var host = new SessionHarness(terminalsWithoutMacOnAnyConnection: false);
        await SignOnAsync(host, NoMac);
        await host.SendAsync(DemoRequests.NetworkManagement(NoMac, 6, "161"));
        var exchange = await host.ReceiveAsync();

        Assert.Equal(ResponseCodes.NotPermittedToTerminal, exchange!.GetString(39));
        Assert.False(exchange.Has(48));
        Assert.Null(host.Ledger.Terminal(NoMac).PendingKeys);
        var refusal = Assert.Single(host.Ledger.Requests);
        Assert.True(refusal.IsUnauthenticatedTerminal);
        Assert.Equal(TransactionKind.NetworkManagement, refusal.Kind); // as an 0800 refused for its MAC is
        Assert.Equal("DE 70 161", refusal.Detail);
    }

    [Fact]
    public async Task Over_a_connection_whose_certificate_names_it_a_key_exchange_issues_keys()
    {
        await using var host = new SessionHarness(terminalsWithoutMacOnAnyConnection: false, mayServeTerminal: id => id == NoMac);
        await SignOnAsync(host, NoMac);
        await host.SendAsync(DemoRequests.NetworkManagement(NoMac, 6, "161"));

        Assert.Equal(ResponseCodes.Approved, (await host.ReceiveAsync())!.GetString(39));
        Assert.NotNull(host.Ledger.Terminal(NoMac).PendingKeys);
    }

    [Fact]
    public async Task A_PIN_under_the_pending_key_from_a_connection_the_terminal_is_not_signed_on_over_makes_nothing_current()
    {
        // On loopback, where the gate admits everything: the terminal exchanged keys over its own connection.
        await using var terminal = new SessionHarness();
        await SignOnAsync(terminal, NoMac);
        await terminal.SendAsync(DemoRequests.NetworkManagement(NoMac, 6, "161"));
        var exchange = await terminal.ReceiveAsync();
        var newPin = new byte[16];
        var newMac = new byte[16];
        Assert.True(KeyExchangeData.TryRead(FakeLedger.DemoMasterKey, exchange!.Get(48), newPin, newMac));
        await using var other = new SessionHarness(terminal.Ledger);

        var request = DemoRequests.Withdrawal(4000, stan: 7, terminalId: NoMac);
        var block = new byte[8];
        PinBlock.Encrypt(newPin, "1234"u8, Encoding.ASCII.GetBytes(DemoCards.Active), block);
        request.Set(52, block);
        await other.SendAsync(request);

        Assert.Equal(ResponseCodes.NotPermittedToTerminal, (await other.ReceiveAsync())!.GetString(39)); // not signed on there
        Assert.Empty(terminal.Ledger.Promotions);
        Assert.NotNull(terminal.Ledger.Terminal(NoMac).PendingKeys);
    }

    private static async Task SignOnAsync(SessionHarness host, string terminalId)
    {
        await host.SendAsync(DemoRequests.SignOn(terminalId));
        Assert.Equal(ResponseCodes.Approved, (await host.ReceiveAsync())!.GetString(39));
    }

    private sealed class NeverCalled : IMessageHandler
    {
        public ReadOnlySpan<int> MandatoryFields => [];

        public ReadOnlySpan<int> EchoedFields => [];

        public bool IsFinancial => true;

        public ValueTask HandleAsync(MessageContext context, CancellationToken cancellationToken) => throw new InvalidOperationException("Not a test of the handler.");
    }
}
