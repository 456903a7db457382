using System.Security.Cryptography;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Tests.Ledger.PostgreSql;

namespace SocketAtm.Server.Tests.Ledger.Contract;

/// <summary>
/// Finding and removing the published demo data (what a host off loopback refuses, and <c>admin remove-demo-data</c>
/// takes out), run against every store: each derived class opens its own kind of ledger on the demo data.
/// </summary>
public abstract class DemoDataContractTests : IAsyncLifetime
{
    private ILedger? _ledger;

    internal LedgerTestContext Context { get; } = new();

    internal ILedger Ledger => _ledger ?? throw new InvalidOperationException("The ledger is not open.");

    internal ILedgerAdmin Admin => (ILedgerAdmin)Ledger;

    /// <summary>Opens the implementation under test on the context's options and clock (a new, seeded ledger the first time).</summary>
    internal abstract Task<ILedger> OpenLedgerAsync(LedgerTestContext context);

    public async Task InitializeAsync() => _ledger = await OpenLedgerAsync(Context);

    public async Task DisposeAsync()
    {
        if (_ledger is not null)
        {
            await _ledger.DisposeAsync();
        }

        await Context.DisposeAsync();
    }

    [StorageFact]
    public async Task A_seeded_ledger_shows_its_demo_terminals_PVK_and_cards_and_an_operators_own_terminal_is_not_demo()
    {
        await Admin.AddTerminalAsync(OwnTerminal("OWN00001"), CancellationToken.None);

        var demo = await Admin.FindDemoDataAsync(CancellationToken.None);

        Assert.Equal(DemoData.Terminals().Select(terminal => terminal.TerminalId).Order(), demo.Terminals.Order());
        Assert.True(demo.PinVerificationKey);
        Assert.True(demo.CardVerificationKey);
        Assert.Equal(5, demo.Cards);
        Assert.True(demo.ExposesDemoKeys);
        Assert.Contains("the demo CVK", demo.ToString(), StringComparison.Ordinal);
    }

    [StorageFact]
    public async Task The_demo_CVK_alone_is_demo_data_a_host_off_loopback_refuses()
    {
        await Admin.RemoveDemoDataAsync(CancellationToken.None);
        await Admin.ImportCardVerificationKeyAsync(DemoKeys.CardVerificationKey, CancellationToken.None);

        var demo = await ReopenedAsync();

        Assert.Empty(demo.Terminals);
        Assert.False(demo.PinVerificationKey);
        Assert.True(demo.CardVerificationKey);
        Assert.True(demo.ExposesDemoKeys);
        Assert.Equal("the demo CVK", demo.ToString());
    }

    private async Task<DemoDataInventory> ReopenedAsync()
    {
        await Ledger.DisposeAsync();
        _ledger = null;
        _ledger = await OpenLedgerAsync(Context);
        return await Admin.FindDemoDataAsync(CancellationToken.None);
    }

    [StorageFact]
    public async Task Removal_deletes_demo_terminals_and_unused_cards_disables_journaled_ones_replaces_the_PVK_and_keeps_the_invariants()
    {
        await Admin.AddTerminalAsync(OwnTerminal("OWN00001"), CancellationToken.None);
        var approved = await Ledger.ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000), CancellationToken.None);
        Assert.Equal(ResponseCodes.Approved, approved.ResponseCode);

        var removal = await Admin.RemoveDemoDataAsync(CancellationToken.None);

        Assert.Equal(10, removal.TerminalsRemoved.Count);
        Assert.Equal(4, removal.CardsRemoved);
        Assert.Equal(["476173******0119"], removal.CardsDisabled);
        Assert.True(removal.PinVerificationKeyReplaced);
        Assert.True(removal.CardVerificationKeyReplaced);
        Assert.Equal(0, removal.OtherCardsUnderDemoPvk);
        await AssertRemovedAsync();

        // Durable, and what a host reads at its next start.
        await Ledger.DisposeAsync();
        _ledger = null;
        _ledger = await OpenLedgerAsync(Context);
        await AssertRemovedAsync();
        Assert.False(DemoData.IsDemoPinVerificationKey(await Ledger.GetPinVerificationKeyAsync(CancellationToken.None)));
        Assert.False(DemoData.IsDemoCardVerificationKey(await Ledger.GetCardVerificationKeyAsync(CancellationToken.None)));

        async Task AssertRemovedAsync()
        {
            var left = await Admin.FindDemoDataAsync(CancellationToken.None);
            Assert.Empty(left.Terminals);
            Assert.False(left.ExposesDemoKeys);
            Assert.Equal(1, left.Cards);
            Assert.Null(await Ledger.FindTerminalAsync(LedgerTestContext.Terminal, CancellationToken.None));
            Assert.NotNull(await Ledger.FindTerminalAsync("OWN00001", CancellationToken.None));
            Assert.Null(await Admin.GetCardBalanceAsync(DemoCards.Poor, CancellationToken.None));
            var kept = await Admin.GetCardBalanceAsync(DemoCards.Active, CancellationToken.None);
            Assert.Equal(CardStatus.Restricted, kept!.Status);
            Assert.Equal(98_000, kept.LedgerBalance);
            Assert.NotEmpty(await Admin.ListJournalForCardAsync(DemoCards.Active, 10, CancellationToken.None));
            var invariants = await Admin.VerifyInvariantsAsync(CancellationToken.None);
            Assert.True(invariants.Holds, string.Join("; ", invariants.Violations));
        }
    }

    [StorageFact]
    public async Task Cards_of_the_operator_issued_under_the_demo_PVK_are_counted_and_a_second_removal_finds_nothing_left()
    {
        await Admin.AddCardsAsync([new CardRegistration { Pan = "4000001234567899", Pin = "9876", Expiry = "3012", OpeningBalance = 1_000 }], CancellationToken.None);

        var first = await Admin.RemoveDemoDataAsync(CancellationToken.None);
        var second = await Admin.RemoveDemoDataAsync(CancellationToken.None);

        Assert.Equal(1, first.OtherCardsUnderDemoPvk);
        Assert.Equal(5, first.CardsRemoved);
        Assert.Empty(second.TerminalsRemoved);
        Assert.Equal(0, second.CardsRemoved);
        Assert.False(second.PinVerificationKeyReplaced);
        Assert.False(second.CardVerificationKeyReplaced);
        Assert.NotNull(await Admin.GetCardBalanceAsync("4000001234567899", CancellationToken.None));
    }

    [StorageFact]
    public async Task A_terminal_registered_without_keys_is_refused_rather_than_given_the_demo_keys()
    {
        var registration = new TerminalRegistration { TerminalId = "OWN00002" };

        await Assert.ThrowsAsync<ArgumentException>(() => Admin.AddTerminalAsync(registration, CancellationToken.None));
        Assert.Null(await Ledger.FindTerminalAsync("OWN00002", CancellationToken.None));
    }

    private static TerminalRegistration OwnTerminal(string id) => new()
    {
        TerminalId = id,
        MasterKey = RandomNumberGenerator.GetBytes(16),
        PinKey = RandomNumberGenerator.GetBytes(16),
        MacKey = RandomNumberGenerator.GetBytes(16),
    };
}
