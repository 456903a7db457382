using SocketAtm.Protocol.Security;
using SocketAtm.Server.Ledger;

namespace SocketAtm.Server.Tests.Sessions;

/// <summary>
/// A card request whose DE 7 is outside the transmission window reaches the ledger marked stale, its PIN unverified (the
/// ledger answers it: a repeat may have a stored answer); reversals and advices are never stale. The harness's clock is
/// 25 November 10:00:00, DemoRequests' DE 7.
/// </summary>
public sealed class TransmissionWindowTests
{
    private const string DayOld = "1124100000";

    [Theory]
    [InlineData("1125100000")]
    [InlineData("1125094500")] // 15 minutes behind the host
    [InlineData("1125101500")] // 15 minutes ahead
    public async Task A_withdrawal_within_the_window_is_not_stale_and_its_pin_is_verified(string transmissionDateTime)
    {
        await using var host = new SessionHarness();
        await SignOnAsync(host, "ATM00009");
        await host.SendAsync(DemoRequests.Withdrawal(4000, stan: 21, transmissionDateTime: transmissionDateTime));
        await host.ReceiveAsync();

        var request = Assert.Single(host.Ledger.Requests);
        Assert.False(request.IsStale);
        Assert.NotNull(request.CandidatePvv);
    }

    [Theory]
    [InlineData(200, DayOld)]
    [InlineData(201, DayOld)]
    [InlineData(100, DayOld)]
    [InlineData(200, "1125101501")] // 15 minutes and a second ahead of the host
    public async Task A_card_request_outside_the_window_reaches_the_ledger_stale_with_no_pin_verified(int mti, string transmissionDateTime)
    {
        await using var host = new SessionHarness();
        await SignOnAsync(host, "ATM00009");
        var message = mti == 100
            ? DemoRequests.BalanceInquiry(21, mti: 100, transmissionDateTime: transmissionDateTime)
            : DemoRequests.Withdrawal(4000, stan: 21, mti: mti, transmissionDateTime: transmissionDateTime);
        await host.SendAsync(message);
        await host.ReceiveAsync();

        var request = Assert.Single(host.Ledger.Requests);
        Assert.True(request.IsStale);
        Assert.Null(request.CandidatePvv); // a replayed wrong PIN must not count a try
        Assert.Null(request.EncryptedPinBlock);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(420)]
    [InlineData(421)]
    public async Task Reversals_and_advices_are_never_stale(int mti)
    {
        await using var host = new SessionHarness();
        await SignOnAsync(host, "ATM00009");
        await host.SendAsync(DemoRequests.Reversal(4000, stan: 22, originalStan: 21, mti: mti, transmissionDateTime: DayOld));
        await host.ReceiveAsync();

        Assert.False(Assert.Single(host.Ledger.Requests).IsStale);
    }

    [Fact]
    public async Task A_mac_terminal_gets_its_stale_refusal_with_a_mac_the_request_was_authenticated()
    {
        await using var host = new SessionHarness();
        host.Ledger.Decide = request => Task.FromResult(new LedgerOutcome { ResponseCode = request.IsStale ? "63" : "00" });
        await SignOnAsync(host, "ATM00001");
        var withdrawal = DemoRequests.Withdrawal(4000, stan: 5, terminalId: "ATM00001", transmissionDateTime: DayOld);
        RetailMac.Sign(withdrawal, FakeLedger.DemoMacKey);
        await host.SendAsync(withdrawal);

        var response = await host.ReceiveAsync();

        Assert.Equal("63", response!.GetString(39));
        Assert.True(RetailMac.Verify(FakeLedger.DemoMacKey, response));
        Assert.False(Assert.Single(host.Ledger.Requests).IsSecurityViolation); // its MAC was good: refused for its age alone
    }

    private static async Task SignOnAsync(SessionHarness host, string terminalId)
    {
        await host.SendAsync(DemoRequests.SignOn(terminalId));
        Assert.Equal("00", (await host.ReceiveAsync())!.GetString(39));
    }
}
