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
    public async Task Withdrawal_without_a_mac_from_a_mac_terminal_is_answered_63_without_a_mac_and_never_processed()
    {
        await using var host = new SessionHarness();
        await SignOnAsync(host, "ATM00001");
        await host.SendAsync(DemoRequests.Withdrawal(4000, stan: 6, terminalId: "ATM00001"));

        var response = await host.ReceiveAsync();

        Assert.Equal("63", response!.GetString(39));
        Assert.False(response.Has(64) || response.Has(128)); // never a MAC for a request nobody authenticated: no MAC oracle
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

        var response = await host.ReceiveAsync();
        Assert.Equal("63", response!.GetString(39));
        Assert.False(response.Has(64));
        Assert.True(Assert.Single(host.Ledger.Requests).IsSecurityViolation); // journaled as a security event, never decided
    }

    [Fact]
    public async Task Not_signed_on_refusal_is_maced_only_when_the_request_mac_verified()
    {
        await using var host = new SessionHarness();
        var signed = DemoRequests.Withdrawal(4000, stan: 30, terminalId: "ATM00001");
        RetailMac.Sign(signed, FakeLedger.DemoMacKey);
        await host.SendAsync(signed);
        var forSigned = await host.ReceiveAsync();
        await host.SendAsync(DemoRequests.Withdrawal(4000, stan: 31, terminalId: "ATM00001"));
        var forUnsigned = await host.ReceiveAsync();

        Assert.Equal("58", forSigned!.GetString(39));
        Assert.True(RetailMac.Verify(FakeLedger.DemoMacKey, forSigned));
        Assert.Equal("58", forUnsigned!.GetString(39));
        Assert.False(forUnsigned.Has(64));
    }

    [Fact]
    public async Task Unparsable_request_naming_a_mac_terminal_is_answered_30_without_a_mac()
    {
        await using var host = new SessionHarness();
        await SignOnAsync(host, "ATM00001");
        var request = DemoRequests.Withdrawal(4000, stan: 32, terminalId: "ATM00001");
        RetailMac.Sign(request, FakeLedger.DemoMacKey);
        var bytes = IsoMessageWriter.ToArray(request);
        bytes[bytes.AsSpan().IndexOf("000000004000"u8) + 11] = (byte)'X'; // DE 4 no longer numeric: the message does not parse
        await host.SendRawAsync([(byte)(bytes.Length >> 8), (byte)bytes.Length, .. bytes]);

        var response = await host.ReceiveAsync();

        Assert.Equal("30", response!.GetString(39));
        Assert.False(response.Has(64));
    }

    [Fact]
    public async Task Mac_terminal_sign_on_carries_a_mac_and_its_0810_is_maced_under_the_same_key()
    {
        await using var host = new SessionHarness();
        await host.SendAsync(DemoRequests.SignOn("ATM00001"));

        var response = await host.ReceiveAsync();

        Assert.Equal("00", response!.GetString(39));
        Assert.True(RetailMac.Verify(FakeLedger.DemoMacKey, response));
    }

    [Theory]
    [InlineData("001")]
    [InlineData("002")]
    [InlineData("301")]
    [InlineData("161")]
    public async Task Mac_terminal_0800_without_a_mac_is_answered_63_without_a_mac_journaled_and_changes_nothing(string code)
    {
        await using var host = new SessionHarness();
        if (code is "002" or "161")
        {
            await SignOnAsync(host, "ATM00001");
        }

        await host.SendAsync(DemoRequests.UnsignedNetworkManagement("ATM00001", 40, code));
        var response = await host.ReceiveAsync();
        var withdrawal = DemoRequests.Withdrawal(4000, stan: 41, terminalId: "ATM00001");
        RetailMac.Sign(withdrawal, FakeLedger.DemoMacKey);
        await host.SendAsync(withdrawal);
        var afterwards = await host.ReceiveAsync();

        Assert.Equal("63", response!.GetString(39));
        Assert.Equal(code, response.GetString(70));
        Assert.False(response.Has(48) || response.Has(64) || response.Has(128));
        var violation = host.Ledger.Requests.First();
        Assert.True(violation.IsSecurityViolation);
        Assert.Equal(TransactionKind.NetworkManagement, violation.Kind);
        Assert.Equal("DE 70 " + code, violation.Detail);
        Assert.Null(host.Ledger.Terminal("ATM00001").PendingKeys);
        // Sign-on and sign-off changed nothing: the terminal is signed on exactly when a MACed sign-on said so.
        Assert.Equal(code is "002" or "161" ? "00" : "58", afterwards!.GetString(39));
    }

    [Fact]
    public async Task Mac_terminal_0800_maced_under_another_key_is_answered_63()
    {
        await using var host = new SessionHarness();
        await host.SendAsync(DemoRequests.SignOn("ATM00001", macKey: Convert.FromHexString("0123456789ABCDEFFEDCBA9876543210")));

        var response = await host.ReceiveAsync();

        Assert.Equal("63", response!.GetString(39));
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

    private static async Task SignOnAsync(SessionHarness host, string terminalId)
    {
        await host.SendAsync(DemoRequests.SignOn(terminalId));
        Assert.Equal("00", (await host.ReceiveAsync())!.GetString(39));
    }
}
