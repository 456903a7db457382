using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using SocketAtm.Client;
using SocketAtm.IssuerSim;
using SocketAtm.TerminalClient.Emulator;
using SocketAtm.TerminalClient.Tests.Support;

namespace SocketAtm.TerminalClient.Tests.Emulator;

/// <summary>
/// The emulator offers the issuer simulator's not-on-us demo cards beside the host's own: copied as data (the emulator
/// speaks only the wire contract), held here to the simulator's demo data so they cannot drift, and a picked one is
/// forwarded by a host whose route leads to the simulator, which decides it.
/// </summary>
public sealed class OtherBankCardTests : IAsyncLifetime
{
    private const string RequireTrack2 = "--Security:AcceptRequestsWithoutTrack2=false";
    private const string Route = "sim";

    private readonly string _issuerData = Path.Combine(Path.GetTempPath(), "socketatm-emulator-issuer-" + Guid.NewGuid().ToString("N")[..12]);
    private IssuerSimulator? _issuer;

    [Fact]
    public void The_other_banks_cards_are_the_simulators_demo_cards_with_their_expiry_and_labelled_as_such()
    {
        Assert.Equal(
            IssuerDemoData.Cards.Select(card => (card.Pan, card.Expiry)),
            DemoCard.OtherBank.Select(card => (card.Card.Pan, card.Track2.Split('=')[1][..4])));
        Assert.All(DemoCard.OtherBank, card =>
        {
            Assert.StartsWith(IssuerDemoData.Bin, card.Card.Pan, StringComparison.Ordinal);
            Assert.StartsWith("other bank (issuer simulator)", card.Label, StringComparison.Ordinal);
            Assert.DoesNotContain(card.Card.Pan, card.ToString(), StringComparison.Ordinal);
        });
        Assert.Equal(DemoCard.OtherBank, DemoCard.All.Skip(DemoCard.OnUs.Count));
    }

    [Fact]
    public async Task A_picked_other_bank_card_is_forwarded_by_its_track_2_and_approved_by_the_simulator_against_its_balance()
    {
        await using var host = await InProcessHost.StartAsync([.. RouteTo(_issuer!.Port), RequireTrack2]);
        await host.WaitUntilRouteSignedOnAsync(Route);
        await using var atm = await AtmTerminalClient.ConnectAsync(new TerminalConnectionOptions { Port = host.Port }, Terminal());
        var rich = DemoCard.OtherBank[0];
        var customer = new ScriptedDisplay(rich.Card, IssuerDemoData.Pin, MenuChoice.FastCash(4000), 4000L, false);

        await new AtmFlow(atm, customer, new FakeTimeProvider(DateTimeOffset.UtcNow)).RunAsync(CancellationToken.None);

        var receipt = customer.Single<Receipt>();
        Assert.Equal("541333******0019", receipt.MaskedPan);
        Assert.Equal(4000, receipt.AmountDispensed);
        Assert.Equal(IssuerDemoData.Rich.Balance - 4000, _issuer.BalanceOf(IssuerDemoData.Rich.Pan));
        var line = Assert.Single(_issuer.Book());
        Assert.Equal((receipt.RetrievalReferenceNumber, 4000L), (line.Rrn, line.NetAmount));
    }

    [Fact]
    public async Task The_other_banks_expired_card_is_declined_by_the_simulator_on_the_expiry_its_track_carries()
    {
        await using var host = await InProcessHost.StartAsync([.. RouteTo(_issuer!.Port), RequireTrack2]);
        await host.WaitUntilRouteSignedOnAsync(Route);
        await using var atm = await AtmTerminalClient.ConnectAsync(new TerminalConnectionOptions { Port = host.Port }, Terminal());
        var expired = DemoCard.OtherBank.Single(card => card.Card.Pan == IssuerDemoData.Expired.Pan);
        var customer = new ScriptedDisplay(expired.Card, IssuerDemoData.Pin, MenuChoice.FastCash(2000));

        await new AtmFlow(atm, customer, new FakeTimeProvider(DateTimeOffset.UtcNow)).RunAsync(CancellationToken.None);

        Assert.Equal("Your card has expired. Please contact your bank for a new one.", customer.Single<ScriptedDisplay.Problem>().Sentence);
        Assert.Equal("54", Assert.Single(_issuer.Book()).Response);
    }

    public async Task InitializeAsync() =>
        _issuer = await IssuerSimulator.StartAsync(new IssuerSimulatorOptions { Port = 0, DataDirectory = _issuerData });

    public async Task DisposeAsync()
    {
        if (_issuer is not null)
        {
            await _issuer.DisposeAsync();
        }

        if (Directory.Exists(_issuerData))
        {
            Directory.Delete(_issuerData, recursive: true);
        }
    }

    private static TerminalClientOptions Terminal() => new() { TerminalId = "ATM00009", RequestTimeout = TimeSpan.FromSeconds(10) };

    /// <summary>A route for BIN 541333 to the simulator, with the published demo ZPK both sides hold (given on the command line, as an operator would).</summary>
    private static string[] RouteTo(int issuerPort) =>
    [
        "--Routing:Routes:0:Name=" + Route,
        "--Routing:Routes:0:Bins:0=" + IssuerDemoData.Bin,
        "--Routing:Routes:0:Endpoints:0=127.0.0.1:" + issuerPort.ToString(CultureInfo.InvariantCulture),
        "--Routing:Routes:0:AcquirerId=476173",
        "--Routing:Routes:0:ZonePinKey=" + IssuerDemoData.ZonePinKeyHex,
        "--Routing:Routes:0:Connections=1",
    ];
}
