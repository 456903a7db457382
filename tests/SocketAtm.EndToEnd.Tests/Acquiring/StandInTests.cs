using System.Text;
using SocketAtm.IssuerSim.Faults;
using SocketAtm.Protocol.Composites;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Vocabulary;
using SocketAtm.Server.Security;

namespace SocketAtm.EndToEnd.Tests.Acquiring;

/// <summary>
/// Stand-in as a terminal and the issuer see it (PROTOCOL.md §15.10, §15.18): with the issuer gone, a withdrawal within
/// the route's StandIn limits whose PIN verifies under the issuer's PVK is approved by the host; a wrong PIN is 55 and one
/// over the limit 61; once the issuer is back, the approval's advice (0220) reaches it and is booked once, and both books
/// agree for the RRN. While the issuer answers, nothing is stood in.
/// </summary>
public sealed class StandInTests
{
    private static readonly byte[] IssuerPvk = Convert.FromHexString("0123456789ABCDEFFEDCBA9876543210");

    private static readonly string[] StandInArgs =
    [
        "--Routing:Routes:0:StandIn:Enabled=true",
        "--Routing:Routes:0:StandIn:MaxAmount=5000",
        "--Routing:Routes:0:StandIn:DailyAmount=8000",
        "--Routing:Routes:0:StandIn:DailyCount=3",
        "--Routing:Routes:0:StandIn:PinVerificationKey=" + Convert.ToHexString(IssuerPvk),
    ];

    [Fact]
    public async Task With_the_issuer_gone_the_host_stands_in_within_its_limits_and_the_advice_is_booked_once_it_is_back()
    {
        await using var acquirer = await AcquirerHarness.StartAsync(new FaultOptions(), TimeSpan.FromSeconds(1), StandInArgs);
        await using var atm = await TestTerminal.ConnectAsync(acquirer.Host.EndPoint);
        var healthy = await atm.ExchangeAsync(WithTrack2(atm, 6_000, AcquirerHarness.Pin)); // over the stand-in limit
        await acquirer.StopIssuerAsync();

        var approved = await atm.ExchangeAsync(WithTrack2(atm, 2_000, AcquirerHarness.Pin));
        var wrongPin = await atm.ExchangeAsync(WithTrack2(atm, 1_000, "9999"));
        var overLimit = await atm.ExchangeAsync(WithTrack2(atm, 5_001, AcquirerHarness.Pin));
        var rrn = approved.GetString(DataElements.RetrievalReference)!;
        var owedWhileDown = await acquirer.OwedCountAsync();
        await acquirer.StartIssuerAsync(new FaultOptions());
        await acquirer.WaitUntilNothingOwedAsync();

        Assert.Equal(ResponseCodes.Approved, healthy.GetString(DataElements.ResponseCode)); // the issuer's: stand-in would have said 61
        Assert.Equal(string.Empty, acquirer.IssuerLine(healthy.GetString(DataElements.RetrievalReference)!)!.AdviceResponse); // forwarded, no advice
        Assert.Equal(ResponseCodes.Approved, approved.GetString(DataElements.ResponseCode));
        Assert.False(string.IsNullOrEmpty(approved.GetString(DataElements.AuthorizationId)));
        Assert.Equal(ResponseCodes.IncorrectPin, wrongPin.GetString(DataElements.ResponseCode));
        Assert.Equal(ResponseCodes.ExceedsAmountLimit, overLimit.GetString(DataElements.ResponseCode));
        Assert.Equal(1, owedWhileDown);
        Assert.Equal(ResponseCodes.Approved, acquirer.IssuerLine(rrn)!.AdviceResponse);
        Assert.Equal(2_000, acquirer.IssuerNet(rrn));
        Assert.Equal(2_000, await acquirer.AcquirerNetAsync(rrn));
        Assert.Null(acquirer.IssuerLine(wrongPin.GetString(DataElements.RetrievalReference)!));
    }

    /// <summary>A withdrawal whose track 2 carries the PVV of PIN 1234 under the issuer's PVK (PVKI 1), entered as <paramref name="pin"/>.</summary>
    private static IsoMessage WithTrack2(TestTerminal atm, long amount, string pin)
    {
        var pan = AcquirerHarness.RichCard;
        var request = AcquirerHarness.OffUs(atm, amount, TestTerminal.NextStan(), pan, pin);
        var pvv = new byte[4];
        PinVerificationValue.Compute(IssuerPvk, Encoding.ASCII.GetBytes(pan), 1, Encoding.ASCII.GetBytes(AcquirerHarness.Pin), pvv);
        var expiry = request.GetString(DataElements.ExpirationDate)!;
        var track = new byte[Track2.MaxLength];
        var length = Track2.Write(Encoding.ASCII.GetBytes(pan), Encoding.ASCII.GetBytes(expiry), "101"u8, 1, pvv, "000"u8, track);
        request.Set(DataElements.Track2, track.AsSpan(0, length));
        return request;
    }
}
