using SocketAtm.Client;
using SocketAtm.TerminalClient.Emulator;
using SocketAtm.TerminalClient.Tests.Emulator;
using SocketAtm.TerminalClient.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace SocketAtm.TerminalClient.Tests.Client;

/// <summary>
/// The terminal sends a card's track 2 (DE 35) when it has read one, against a real host whose issuer refuses requests
/// without it: the client library's <see cref="CardData"/>, and the emulator's demo cards, which carry their published
/// track 2.
/// </summary>
public sealed class Track2FlowTests
{
    private const string RequireTrack2 = "--Security:AcceptRequestsWithoutTrack2=false";

    private static TerminalConnectionOptions Direct(InProcessHost host) => new() { Port = host.Port };

    private static TerminalClientOptions Terminal() => new() { TerminalId = "ATM00009", RequestTimeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task A_card_read_by_its_track_2_is_approved_where_a_PAN_alone_is_refused_30_and_its_reversal_needs_no_track()
    {
        await using var host = await InProcessHost.StartAsync(RequireTrack2);
        await using var atm = await AtmTerminalClient.ConnectAsync(Direct(host), Terminal());

        var byPan = await atm.WithdrawAsync(DemoCards.Active, DemoCards.ActivePin, 4000);
        var byTrack = await atm.WithdrawAsync(CardData.FromTrack2(DemoCards.ActiveTrack2), DemoCards.ActivePin, 4000);
        var inquiry = await atm.BalanceAsync(CardData.FromTrack2(DemoCards.ActiveTrack2), DemoCards.ActivePin);

        Assert.Equal("30", Assert.IsType<TransactionDeclined>(byPan).ResponseCode);
        var approved = Assert.IsType<TransactionApproved>(byTrack);
        Assert.Equal("476173******0119", approved.MaskedPan);
        Assert.Equal(96000, approved.Balance!.Available);
        Assert.Equal(96000, Assert.IsType<TransactionApproved>(inquiry).Balance!.Available);
        var jam = await atm.ReportDispenseAsync(approved, 0);
        Assert.True(jam.IsReversed);
    }

    [Fact]
    public async Task A_track_2_whose_CVV_was_made_up_is_declined_59_suspected_fraud()
    {
        await using var host = await InProcessHost.StartAsync(RequireTrack2);
        await using var atm = await AtmTerminalClient.ConnectAsync(Direct(host), Terminal());

        var result = await atm.WithdrawAsync(CardData.FromTrack2(DemoCards.ActiveTrack2[..^3] + "999"), DemoCards.ActivePin, 4000);

        var declined = Assert.IsType<TransactionDeclined>(result);
        Assert.Equal("59", declined.ResponseCode);
        Assert.Equal("Suspected fraud", declined.Meaning);
        Assert.Null(declined.Reversal);
    }

    [Fact]
    public async Task The_emulators_demo_cards_are_the_published_track_2_and_a_picked_one_is_served_where_track_2_is_required()
    {
        Assert.Equal(
            [DemoCards.ActiveTrack2, DemoCards.PoorTrack2, DemoCards.ExpiredTrack2, DemoCards.RestrictedTrack2, DemoCards.RichTrack2],
            DemoCard.OnUs.Select(card => card.Track2));
        Assert.DoesNotContain("4931734", DemoCard.All[0].ToString(), StringComparison.Ordinal);
        Assert.Equal(DemoCard.OnUs, DemoCard.All.Take(DemoCard.OnUs.Count));
        await using var host = await InProcessHost.StartAsync(RequireTrack2);
        await using var atm = await AtmTerminalClient.ConnectAsync(Direct(host), Terminal());
        var customer = new ScriptedDisplay(DemoCard.All[0].Card, DemoCards.ActivePin, MenuChoice.FastCash(4000), 4000L, false);

        await new AtmFlow(atm, customer, new FakeTimeProvider(DateTimeOffset.UtcNow)).RunAsync(CancellationToken.None);

        Assert.Equal(96000, customer.Single<Receipt>().RemainingBalance);
    }
}
