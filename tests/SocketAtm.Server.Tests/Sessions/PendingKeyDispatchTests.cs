using System.Text;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Security;
using SocketAtm.Server.Handlers;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Model;
using SocketAtm.Testing;

namespace SocketAtm.Server.Tests.Sessions;

/// <summary>
/// PROTOCOL.md §11.3 over a real session: a key exchange issues keys that stay pending while the current ones stay in
/// force; the terminal's first request under them (its MAC, or for a terminal without MACs its PIN block) makes them
/// current; the replaced keys are accepted for the overlap; exchanges are rate-limited and journaled with KCVs.
/// </summary>
public sealed class PendingKeyDispatchTests
{
    [Fact]
    public async Task Key_exchange_answer_is_maced_under_the_requesting_key_and_carries_keys_that_stay_pending()
    {
        await using var host = new SessionHarness();
        await SignOnAsync(host, "ATM00001");

        var (response, pinKey, macKey) = await ExchangeKeysAsync(host, "ATM00001", stan: 12);

        Assert.True(RetailMac.Verify(FakeLedger.DemoMacKey, response));
        var terminal = host.Ledger.Terminal("ATM00001");
        Assert.Equal(FakeLedger.DemoMacKey, terminal.MacKey);
        Assert.Equal(pinKey, terminal.PendingKeys!.PinKey);
        Assert.Equal(macKey, terminal.PendingKeys.MacKey);
        var issued = Assert.Single(host.Ledger.Requests);
        Assert.Equal(JournalDisposition.KeysIssued, issued.KeyEvent);
        Assert.Equal(TransactionKind.KeyExchange, issued.Kind);
        Assert.Equal(KeyEvents.Detail(KeyCheckValue.ToHex(pinKey), KeyCheckValue.ToHex(macKey)), issued.Detail);
        Assert.DoesNotContain(Convert.ToHexString(pinKey), issued.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_current_keys_stay_in_force_until_the_terminal_first_uses_the_new_ones()
    {
        await using var host = new SessionHarness();
        await SignOnAsync(host, "ATM00001");
        var (_, pinKey, macKey) = await ExchangeKeysAsync(host, "ATM00001", stan: 13);

        // Past the overlap (but within the session's idle timeout, which the fake clock drives too), the old keys still
        // work: nothing was promoted.
        host.Time.Advance(host.Ledger.KeyOverlap + TimeSpan.FromMinutes(1));
        var underOld = await WithdrawAsync(host, "ATM00001", 14, FakeLedger.DemoPinKey, FakeLedger.DemoMacKey);
        Assert.Equal("00", underOld.GetString(39));
        Assert.True(RetailMac.Verify(FakeLedger.DemoMacKey, underOld));
        Assert.Empty(host.Ledger.Promotions);

        var underNew = await WithdrawAsync(host, "ATM00001", 15, pinKey, macKey);

        Assert.Equal("00", underNew.GetString(39));
        Assert.True(RetailMac.Verify(macKey, underNew));
        Assert.Equal(["ATM00001"], host.Ledger.Promotions);
        Assert.Equal(macKey, host.Ledger.Terminal("ATM00001").MacKey);
        var requests = host.Ledger.Requests.ToArray();
        Assert.Equal(JournalDisposition.KeysPromoted, requests[^2].KeyEvent);
        Assert.Equal("4931", requests[^1].CandidatePvv); // the demo card's PVV for PIN 1234, under the promoted TPK
    }

    [Fact]
    public async Task After_promotion_the_replaced_keys_are_accepted_for_the_overlap_and_refused_after_it()
    {
        await using var host = new SessionHarness();
        await SignOnAsync(host, "ATM00001");
        var (_, pinKey, macKey) = await ExchangeKeysAsync(host, "ATM00001", stan: 20);
        Assert.Equal("00", (await WithdrawAsync(host, "ATM00001", 21, pinKey, macKey)).GetString(39));

        // In flight while the terminal switched: PIN block and MAC still under the old (demo) keys.
        var late = await WithdrawAsync(host, "ATM00001", 22, FakeLedger.DemoPinKey, FakeLedger.DemoMacKey);

        Assert.Equal("00", late.GetString(39));
        Assert.True(RetailMac.Verify(FakeLedger.DemoMacKey, late));
        Assert.Equal("4931", host.Ledger.Requests.Last().PreviousKeyCandidatePvv);

        host.Time.Advance(host.Ledger.KeyOverlap + TimeSpan.FromSeconds(1));
        var tooLate = await WithdrawAsync(host, "ATM00001", 23, FakeLedger.DemoPinKey, FakeLedger.DemoMacKey);

        Assert.Equal("63", tooLate.GetString(39));
        Assert.False(tooLate.Has(64));
        Assert.True(host.Ledger.Requests.Last().IsSecurityViolation);
    }

    [Fact]
    public async Task A_second_exchange_before_use_replaces_the_pending_keys_and_the_first_ones_never_work()
    {
        await using var host = new SessionHarness();
        await SignOnAsync(host, "ATM00001");
        var (_, firstPin, firstMac) = await ExchangeKeysAsync(host, "ATM00001", stan: 24);
        var (_, secondPin, secondMac) = await ExchangeKeysAsync(host, "ATM00001", stan: 25);

        var underFirst = await WithdrawAsync(host, "ATM00001", 26, firstPin, firstMac);
        var underSecond = await WithdrawAsync(host, "ATM00001", 27, secondPin, secondMac);

        Assert.Equal("63", underFirst.GetString(39));
        Assert.Equal("00", underSecond.GetString(39));
        Assert.Equal(secondMac, host.Ledger.Terminal("ATM00001").MacKey);
    }

    [Fact]
    public async Task An_0800_maced_under_the_pending_key_makes_it_current_and_its_answer_is_maced_under_it()
    {
        await using var host = new SessionHarness();
        await SignOnAsync(host, "ATM00001");
        var (_, _, macKey) = await ExchangeKeysAsync(host, "ATM00001", stan: 28);

        await host.SendAsync(DemoRequests.NetworkManagement("ATM00001", 29, "301", macKey: macKey));
        var echo = await host.ReceiveAsync();

        Assert.Equal("00", echo!.GetString(39));
        Assert.True(RetailMac.Verify(macKey, echo));
        Assert.Equal(macKey, host.Ledger.Terminal("ATM00001").MacKey);
    }

    [Fact]
    public async Task A_terminal_without_macs_makes_its_pending_keys_current_with_its_first_pin_block_under_them()
    {
        await using var host = new SessionHarness();
        await SignOnAsync(host, "ATM00009");
        var (response, pinKey, _) = await ExchangeKeysAsync(host, "ATM00009", stan: 30);
        Assert.False(response.Has(64));

        var underOld = await WithdrawAsync(host, "ATM00009", 31, FakeLedger.DemoPinKey, macKey: null);
        Assert.Empty(host.Ledger.Promotions);
        var underNew = await WithdrawAsync(host, "ATM00009", 32, pinKey, macKey: null);

        Assert.Equal("00", underOld.GetString(39));
        Assert.Equal("00", underNew.GetString(39));
        Assert.Equal(["ATM00009"], host.Ledger.Promotions);
        Assert.Equal(pinKey, host.Ledger.Terminal("ATM00009").PinKey);
        var withdrawals = host.Ledger.Requests.Where(request => request.Kind == TransactionKind.Withdrawal).ToArray();
        Assert.Equal("4931", withdrawals[0].CandidatePvv);
        Assert.Equal("4931", withdrawals[1].CandidatePvv);
    }

    [Fact]
    public async Task Exchanges_over_the_limit_are_answered_65_change_nothing_and_the_window_lets_them_through_again()
    {
        await using var host = new SessionHarness(keyExchanges: new KeyExchangeOptions { KeyExchangeLimit = 2, KeyExchangeWindow = TimeSpan.FromMinutes(4) });
        using var counters = new CounterTotals(host.MeterFactory);
        await SignOnAsync(host, "ATM00009");
        await ExchangeKeysAsync(host, "ATM00009", stan: 40);
        host.Time.Advance(TimeSpan.FromMinutes(3)); // the fake clock drives the idle timeout too: steps stay under 5 minutes
        var (_, pendingPin, _) = await ExchangeKeysAsync(host, "ATM00009", stan: 41);
        var journaled = host.Ledger.Requests.Count;

        await host.SendAsync(DemoRequests.NetworkManagement("ATM00009", 42, "161"));
        var refused = await host.ReceiveAsync();

        Assert.Equal("65", refused!.GetString(39));
        Assert.False(refused.Has(48));
        Assert.Equal(pendingPin, host.Ledger.Terminal("ATM00009").PendingKeys!.PinKey);
        Assert.Equal(journaled, host.Ledger.Requests.Count);
        host.Time.Advance(TimeSpan.FromMinutes(2)); // the first exchange has left the window, the second has not
        await ExchangeKeysAsync(host, "ATM00009", stan: 43);
        await host.SendAsync(DemoRequests.NetworkManagement("ATM00009", 44, "161"));
        Assert.Equal("65", (await host.ReceiveAsync())!.GetString(39));
        await host.SendAsync(DemoRequests.NetworkManagement("ATM00009", 45, "161"));
        Assert.Equal("65", (await host.ReceiveAsync())!.GetString(39));

        // Each refusal is counted, the ones not logged again too; the exchanges granted are not.
        Assert.Equal(3, counters.Count("socketatm.security.events/reason=key_exchange_limit"));
        Assert.Equal(3, counters.Count("socketatm.security.events"));
    }

    [Fact]
    public async Task The_limit_is_per_terminal()
    {
        var ledger = new FakeLedger();
        ledger.AddTerminal("ATM00010");
        await using var host = new SessionHarness(ledger, keyExchanges: new KeyExchangeOptions { KeyExchangeLimit = 1 });
        await SignOnAsync(host, "ATM00009");
        await SignOnAsync(host, "ATM00010");
        await ExchangeKeysAsync(host, "ATM00009", stan: 50);

        await ExchangeKeysAsync(host, "ATM00010", stan: 51);
    }

    private static async Task<(IsoMessage Response, byte[] PinKey, byte[] MacKey)> ExchangeKeysAsync(SessionHarness host, string terminalId, int stan)
    {
        var macKey = host.Ledger.Terminal(terminalId).RequiresMac ? host.Ledger.Terminal(terminalId).MacKey : null;
        await host.SendAsync(DemoRequests.NetworkManagement(terminalId, stan, "161", macKey: macKey));
        var response = await host.ReceiveAsync();
        Assert.Equal("00", response!.GetString(39));
        var newPin = new byte[16];
        var newMac = new byte[16];
        Assert.True(KeyExchangeData.TryRead(FakeLedger.DemoMasterKey, response.Get(48), newPin, newMac));
        return (response, newPin, newMac);
    }

    private static async Task<IsoMessage> WithdrawAsync(SessionHarness host, string terminalId, int stan, byte[] pinKey, byte[]? macKey)
    {
        var request = DemoRequests.Withdrawal(4000, stan, terminalId: terminalId);
        var block = new byte[8];
        PinBlock.Encrypt(pinKey, "1234"u8, Encoding.ASCII.GetBytes(DemoCards.Active), block);
        request.Set(52, block);
        if (macKey is not null)
        {
            RetailMac.Sign(request, macKey);
        }

        await host.SendAsync(request);
        return (await host.ReceiveAsync())!;
    }

    private static async Task SignOnAsync(SessionHarness host, string terminalId)
    {
        await host.SendAsync(DemoRequests.SignOn(terminalId));
        Assert.Equal("00", (await host.ReceiveAsync())!.GetString(39));
    }
}
