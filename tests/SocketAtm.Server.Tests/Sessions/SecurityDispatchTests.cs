using System.Text;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Security;
using SocketAtm.Server.Ledger;

namespace SocketAtm.Server.Tests.Sessions;

/// <summary>MAC terminals, key exchange and the check order of PROTOCOL.md §6 and §11, over a real session.</summary>
public class SecurityDispatchTests
{
    [Fact]
    public async Task Signed_withdrawal_from_a_mac_terminal_is_processed_and_its_response_carries_a_valid_mac()
    {
        await using var host = new SessionHarness();
        await SignOnAsync(host, "ATM00001");
        var request = DemoRequests.Withdrawal(4000, stan: 5, terminalId: "ATM00001");
        RetailMac.Sign(request, FakeLedger.DemoMacKey);
        await host.SendAsync(request);

        var response = await host.ReceiveAsync();

        Assert.Equal("00", response!.GetString(39));
        Assert.True(response.Has(64));
        Assert.True(RetailMac.Verify(FakeLedger.DemoMacKey, response));
        Assert.Single(host.Ledger.Requests);
    }

    [Fact]
    public async Task Withdrawal_without_a_mac_from_a_mac_terminal_is_answered_63_with_a_mac_and_never_processed()
    {
        await using var host = new SessionHarness();
        await SignOnAsync(host, "ATM00001");
        await host.SendAsync(DemoRequests.Withdrawal(4000, stan: 6, terminalId: "ATM00001"));

        var response = await host.ReceiveAsync();

        Assert.Equal("63", response!.GetString(39));
        Assert.True(RetailMac.Verify(FakeLedger.DemoMacKey, response));
        Assert.True(Assert.Single(host.Ledger.Requests).IsSecurityViolation); // journaled as a security event, never decided
    }

    [Fact]
    public async Task Withdrawal_with_a_tampered_amount_fails_the_mac_check_with_63()
    {
        await using var host = new SessionHarness();
        await SignOnAsync(host, "ATM00001");
        var request = DemoRequests.Withdrawal(4000, stan: 7, terminalId: "ATM00001");
        RetailMac.Sign(request, FakeLedger.DemoMacKey);
        request.SetNumber(4, 400000);
        await host.SendAsync(request);

        Assert.Equal("63", (await host.ReceiveAsync())!.GetString(39));
        Assert.True(Assert.Single(host.Ledger.Requests).IsSecurityViolation); // journaled as a security event, never decided
    }

    [Fact]
    public async Task Mac_terminal_sign_on_needs_no_mac_and_its_0810_carries_none()
    {
        await using var host = new SessionHarness();
        await host.SendAsync(DemoRequests.SignOn("ATM00001"));

        var response = await host.ReceiveAsync();

        Assert.Equal("00", response!.GetString(39));
        Assert.False(response.Has(64));
    }

    [Fact]
    public async Task Terminal_that_does_not_use_macs_gets_responses_without_one()
    {
        await using var host = new SessionHarness();
        await SignOnAsync(host, "ATM00009");
        await host.SendAsync(DemoRequests.Withdrawal(4000, stan: 8));

        Assert.False((await host.ReceiveAsync())!.Has(64));
    }

    [Fact]
    public async Task Unknown_terminal_is_answered_58_before_its_missing_elements_are_noticed()
    {
        await using var host = new SessionHarness();
        var request = DemoRequests.NetworkManagement("ATM77777", 9, "001");
        request.Remove(70);
        await host.SendAsync(request);

        Assert.Equal("58", (await host.ReceiveAsync())!.GetString(39));
    }

    [Fact]
    public async Task Processing_code_with_a_to_account_is_answered_12()
    {
        await using var host = new SessionHarness();
        await SignOnAsync(host, "ATM00009");
        var request = DemoRequests.Withdrawal(4000, stan: 10);
        request.Set(3, "012010");
        await host.SendAsync(request);

        Assert.Equal("12", (await host.ReceiveAsync())!.GetString(39));
    }

    [Fact]
    public async Task Key_exchange_needs_sign_on_over_this_connection()
    {
        await using var host = new SessionHarness();
        await host.SendAsync(DemoRequests.NetworkManagement("ATM00009", 11, "161"));

        var response = await host.ReceiveAsync();

        Assert.Equal("58", response!.GetString(39));
        Assert.False(response.Has(48));
    }

    [Fact]
    public async Task Key_exchange_returns_new_keys_under_the_tmk_with_matching_kcvs_and_the_host_uses_them()
    {
        await using var host = new SessionHarness();
        await SignOnAsync(host, "ATM00009");
        await host.SendAsync(DemoRequests.NetworkManagement("ATM00009", 12, "161"));

        var response = await host.ReceiveAsync();

        Assert.Equal("00", response!.GetString(39));
        var pinKey = new byte[16];
        var macKey = new byte[16];
        Assert.True(KeyExchangeData.TryRead(FakeLedger.DemoMasterKey, response.Get(48), pinKey, macKey));
        Assert.NotEqual(FakeLedger.DemoPinKey, pinKey);
        Assert.Equal(pinKey, host.Ledger.Terminal("ATM00009").PinKey);
        Assert.Equal(macKey, host.Ledger.Terminal("ATM00009").MacKey);

        // A PIN block under the new TPK now verifies to the card's PVV; one under the old TPK does not.
        var withNewKey = DemoRequests.Withdrawal(4000, stan: 13);
        var block = new byte[8];
        PinBlock.Encrypt(pinKey, "1234"u8, Encoding.ASCII.GetBytes(DemoCards.Active), block);
        withNewKey.Set(52, block);
        await host.SendAsync(withNewKey);
        await host.ReceiveAsync();
        await host.SendAsync(DemoRequests.Withdrawal(4000, stan: 14));
        await host.ReceiveAsync();

        var requests = host.Ledger.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.Equal("4931", requests[0].CandidatePvv); // the demo card's PVV for PIN 1234
        Assert.NotEqual("4931", requests[1].CandidatePvv);
    }

    [Fact]
    public async Task Requests_made_with_the_previous_keys_are_accepted_during_the_overlap_and_refused_after_it()
    {
        await using var host = new SessionHarness();
        await SignOnAsync(host, "ATM00001");
        await host.SendAsync(DemoRequests.NetworkManagement("ATM00001", 20, "161"));
        Assert.Equal("00", (await host.ReceiveAsync())!.GetString(39));

        // In flight during the exchange: PIN block and MAC still under the old (demo) keys.
        var late = DemoRequests.Withdrawal(4000, stan: 21, terminalId: "ATM00001");
        RetailMac.Sign(late, FakeLedger.DemoMacKey);
        await host.SendAsync(late);
        var accepted = await host.ReceiveAsync();

        Assert.Equal("00", accepted!.GetString(39));
        Assert.True(RetailMac.Verify(FakeLedger.DemoMacKey, accepted));
        Assert.Equal("4931", Assert.Single(host.Ledger.Requests).PreviousKeyCandidatePvv);

        host.Time.Advance(host.Ledger.KeyOverlap + TimeSpan.FromSeconds(1));
        var tooLate = DemoRequests.Withdrawal(4000, stan: 22, terminalId: "ATM00001");
        RetailMac.Sign(tooLate, FakeLedger.DemoMacKey);
        await host.SendAsync(tooLate);

        Assert.Equal("63", (await host.ReceiveAsync())!.GetString(39));
        Assert.True(host.Ledger.Requests.Last().IsSecurityViolation);
        Assert.Equal(2, host.Ledger.Requests.Count);
    }

    private static async Task SignOnAsync(SessionHarness host, string terminalId)
    {
        await host.SendAsync(DemoRequests.SignOn(terminalId));
        Assert.Equal("00", (await host.ReceiveAsync())!.GetString(39));
    }
}
