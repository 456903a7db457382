using System.Diagnostics.Metrics;
using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Security;
using SocketAtm.Protocol.Vocabulary;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Model;

namespace SocketAtm.EndToEnd.Tests.Security;

/// <summary>
/// The counterfeit card, scripted over real sockets against the real host: a track 2 written by someone who knows a
/// card's PAN and expiry (from a receipt, a skimmed DE 2) but not the issuer's CVK — a made-up CVV, another card's PAN
/// beside DE 2, another expiry. Each is refused 59, moves nothing, counts no PIN try against the genuine card, and is
/// journaled and counted as a security event; the genuine track 2 is approved. Off loopback, a request that names its
/// card by DE 2 alone is refused 30.
/// </summary>
public sealed class CounterfeitTrackTests
{
    private const string FullBalance = "2001840C0000001000002002840C000000100000";

    public static TheoryData<string, string?, string> Counterfeits => new()
    {
        // What the attacker sends as DE 35, the DE 2 beside it (null: none), and the reason the host counts.
        { DemoCards.ActiveTrack2[..^3] + "000", null, "cvv" },
        { DemoCards.PoorTrack2, DemoCards.Active, "track2_pan_mismatch" },
        { DemoCards.ActiveTrack2.Replace("=2812", "=2912", StringComparison.Ordinal), null, "track2_mismatch" },
    };

    [Theory]
    [MemberData(nameof(Counterfeits))]
    public async Task A_counterfeit_track_2_is_refused_59_moves_nothing_counts_no_PIN_try_and_is_a_security_event(string track2, string? pan, string reason)
    {
        await using var host = await RunningHost.StartAsync();
        using var events = new CounterTotals(host.Services.GetRequiredService<IMeterFactory>());
        await using var atm = await TestTerminal.ConnectAsync(host.EndPoint);

        // A wrong PIN as well: had the host looked at the PIN first, this would count a try against the genuine card.
        var withdrawal = WithTrack2(atm.Withdrawal(40_000, TestTerminal.NextStan(), pin: "0000"), track2, pan);
        var inquiry = WithTrack2(atm.Balance(TestTerminal.NextStan()), track2, pan);
        var refusedWithdrawal = await atm.ExchangeAsync(withdrawal);
        var refusedInquiry = await atm.ExchangeAsync(inquiry);
        var balance = await atm.ExchangeAsync(atm.Balance(TestTerminal.NextStan()));

        foreach (var refused in new[] { refusedWithdrawal, refusedInquiry })
        {
            Assert.Equal(ResponseCodes.SuspectedFraud, refused.GetString(39));
            Assert.False(refused.Has(37) || refused.Has(38) || refused.Has(54));
            Assert.False(refused.Has(35));
        }

        Assert.Equal(FullBalance, balance.GetString(54));
        var admin = host.Services.GetRequiredService<ILedgerAdmin>();
        var card = await admin.GetCardBalanceAsync(DemoCards.Active, CancellationToken.None);
        Assert.Equal(0, card!.PinTries);
        Assert.Equal(0, card.WithdrawalsToday);
        var journal = await admin.ListJournalForTerminalAsync(atm.TerminalId, 20, CancellationToken.None);
        Assert.Equal(2, journal.Count(entry => entry.Disposition == JournalDisposition.Counterfeit && entry.ResponseCode == ResponseCodes.SuspectedFraud));
        Assert.Equal(2, events.Count("socketatm.security.events/reason=" + reason));
    }

    [Fact]
    public async Task The_genuine_track_2_is_approved_with_or_without_DE_2_and_debits_once()
    {
        await using var host = await RunningHost.StartAsync();
        await using var atm = await TestTerminal.ConnectAsync(host.EndPoint);

        var alone = await atm.ExchangeAsync(WithTrack2(atm.Withdrawal(4_000, TestTerminal.NextStan()), DemoCards.ActiveTrack2, pan: null));
        var withPan = await atm.ExchangeAsync(WithTrack2(atm.Withdrawal(4_000, TestTerminal.NextStan()), DemoCards.ActiveTrack2, DemoCards.Active));

        Assert.Equal(ResponseCodes.Approved, alone.GetString(39));
        Assert.False(alone.Has(2));
        Assert.Equal(ResponseCodes.Approved, withPan.GetString(39));
        Assert.Equal("2001840C0000000920002002840C000000092000", withPan.GetString(54));
    }

    [Fact]
    public async Task Off_loopback_a_request_without_track_2_is_answered_30_and_one_with_it_is_approved()
    {
        // A host on 0.0.0.0 with the relaxations this test needs to reach the demo data there: plaintext and the demo
        // data allowed (each warned at start), the KEK given outside the data directory.
        await using var host = await RunningHost.StartAsync(
            null,
            "--address", "0.0.0.0",
            "--Listener:AllowPlaintext=true",
            "--Ledger:AllowDemoData=true",
            "--Ledger:KeyEncryptionKey=" + Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));
        // ATM00001, a MAC terminal (a terminal without one may be refused off loopback altogether), signs on MACed.
        await using var atm = await TestTerminal.ConnectAsync(new IPEndPoint(IPAddress.Loopback, host.EndPoint.Port), "ATM00001", signOn: false);
        Assert.Equal(ResponseCodes.Approved, (await atm.ExchangeAsync(Signed(atm.NetworkManagement(TestTerminal.NextStan(), "001")))).GetString(39));

        var withoutTrack = await atm.ExchangeAsync(Signed(atm.Withdrawal(4_000, TestTerminal.NextStan())));
        var inquiryWithoutTrack = await atm.ExchangeAsync(Signed(atm.Balance(TestTerminal.NextStan())));
        var withTrack = await atm.ExchangeAsync(Signed(WithTrack2(atm.Withdrawal(4_000, TestTerminal.NextStan()), DemoCards.ActiveTrack2, pan: null)));

        Assert.Equal(ResponseCodes.FormatError, withoutTrack.GetString(39));
        Assert.False(withoutTrack.Has(54));
        Assert.Equal(ResponseCodes.FormatError, inquiryWithoutTrack.GetString(39));
        Assert.Equal(ResponseCodes.Approved, withTrack.GetString(39));
        Assert.Equal("2001840C0000000960002002840C000000096000", withTrack.GetString(54)); // only the one with track 2 debited
    }

    /// <summary>The request with <paramref name="track2"/> as DE 35 and <paramref name="pan"/> as DE 2 (none when null).</summary>
    private static IsoMessage WithTrack2(IsoMessage request, string track2, string? pan)
    {
        request.Remove(2);
        request.Remove(14);
        if (pan is not null)
        {
            request.Set(2, pan);
        }

        request.Set(35, track2);
        return request;
    }

    private static IsoMessage Signed(IsoMessage request)
    {
        RetailMac.Sign(request, DemoKeys.MacKey);
        return request;
    }
}
