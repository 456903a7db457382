using SocketAtm.Server.Ledger;

namespace SocketAtm.Server.Tests.Ledger;

public class LedgerAdminTests
{
    [Fact]
    public async Task Demo_terminals_and_keys_are_seeded_into_a_new_database()
    {
        await using var context = await LedgerTestContext.OpenedAsync();

        var macTerminal = await context.Ledger.FindTerminalAsync("ATM00001", CancellationToken.None);
        var plainTerminal = await context.Ledger.FindTerminalAsync("ATM00010", CancellationToken.None);
        var pinVerificationKey = await context.Ledger.GetPinVerificationKeyAsync(CancellationToken.None);

        Assert.True(macTerminal!.RequiresMac);
        Assert.False(plainTerminal!.RequiresMac);
        Assert.Equal("A13F766224F292F868D54D2CFAB1683A", Convert.ToHexString(macTerminal.PinKey));
        Assert.Null(await context.Ledger.FindTerminalAsync("ATM00011", CancellationToken.None));
        Assert.Equal("59FC8F97BFDFF32A1121A96AB0E1A0AD", Convert.ToHexString(pinVerificationKey.Key));
        Assert.Equal(1, pinVerificationKey.Index);
    }

    [Fact]
    public async Task Added_terminal_and_its_pending_then_promoted_working_keys_survive_a_reopen()
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        var pinKey = Enumerable.Range(1, 16).Select(value => (byte)value).ToArray();
        var macKey = Enumerable.Range(101, 16).Select(value => (byte)value).ToArray();

        await context.Ledger.AddTerminalAsync(new TerminalRegistration
            {
                TerminalId = "ATM00077",
                RequiresMac = true,
                MasterKey = DemoData.TerminalMasterKey,
                PinKey = DemoData.TerminalPinKey,
                MacKey = DemoData.TerminalMacKey,
            }, CancellationToken.None);
        await context.Ledger.StorePendingKeysAsync("ATM00077", pinKey, macKey, TestKeyExchanges.Next(), CancellationToken.None);
        await context.ReopenAsync();
        var pending = await context.Ledger.FindTerminalAsync("ATM00077", CancellationToken.None);
        await context.Ledger.PromotePendingKeysAsync("ATM00077", pinKey, macKey, CancellationToken.None);
        await context.ReopenAsync();
        var terminal = await context.Ledger.FindTerminalAsync("ATM00077", CancellationToken.None);

        Assert.Equal(DemoData.TerminalPinKey, pending!.PinKey);
        Assert.Equal(pinKey, pending.PendingKeys!.PinKey);
        Assert.Equal(macKey, pending.PendingKeys.MacKey);
        Assert.Equal(pinKey, terminal!.PinKey);
        Assert.Equal(macKey, terminal.MacKey);
        Assert.Null(terminal.PendingKeys);
        Assert.Equal(DemoData.TerminalMasterKey, terminal.MasterKey);
        Assert.True(terminal.RequiresMac);
    }

    [Fact]
    public async Task Thousands_of_cards_are_added_in_one_go_and_can_withdraw()
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        var cards = Enumerable.Range(0, 5_000)
            .Select(index => new CardRegistration { Pan = $"5{index:D15}", Pin = "1357", Expiry = "2812", OpeningBalance = 10_000 })
            .ToList();

        await context.Ledger.AddCardsAsync(cards, CancellationToken.None);
        var outcome = await context.ExecuteAsync(context.Withdrawal("5000000000004999", "1357", 2_500));

        Assert.Equal(ResponseCodes.Approved, outcome.ResponseCode);
        Assert.Equal(7_500, outcome.LedgerBalance);
        var report = await context.Ledger.VerifyInvariantsAsync(CancellationToken.None);
        Assert.True(report.Holds);
        Assert.Equal(5_005, report.AccountsChecked);
    }

    [Fact]
    public async Task Bulk_add_with_a_card_already_on_file_adds_none()
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        var cards = new[]
        {
            new CardRegistration { Pan = "4000001234567899", Pin = "1357", Expiry = "2812" },
            new CardRegistration { Pan = DemoCards.Active, Pin = "1357", Expiry = "2812" },
        };

        var failure = await Assert.ThrowsAsync<ArgumentException>(() => context.Ledger.AddCardsAsync(cards, CancellationToken.None));

        Assert.Contains("476173******0119", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(DemoCards.Active, failure.Message, StringComparison.Ordinal);
        Assert.Null(await context.Ledger.GetCardBalanceAsync("4000001234567899", CancellationToken.None));
        Assert.True((await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 100))).IsApproved);
    }

    [Theory]
    [InlineData("12345", "1234", "2812")]
    [InlineData("4000001234567899", "12", "2812")]
    [InlineData("4000001234567899", "1234", "2813")]
    public async Task Card_with_bad_details_is_refused(string pan, string pin, string expiry)
    {
        await using var context = await LedgerTestContext.OpenedAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => context.Ledger.AddCardsAsync(
            [new CardRegistration { Pan = pan, Pin = pin, Expiry = expiry }], CancellationToken.None));
    }

    [Fact]
    public async Task Journal_lists_masked_pans_newest_first_by_card_and_by_terminal()
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 100));
        await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 200, context.NextKey("ATM00010")));
        await context.ExecuteAsync(context.Withdrawal(DemoCards.Poor, DemoCards.PoorPin, 300));

        var byCard = await context.Ledger.ListJournalForCardAsync(DemoCards.Active, 10, CancellationToken.None);
        var byTerminal = await context.Ledger.ListJournalForTerminalAsync(LedgerTestContext.Terminal, 10, CancellationToken.None);

        Assert.Equal([200L, 100L], byCard.Select(entry => entry.Amount));
        Assert.Equal([300L, 100L], byTerminal.Select(entry => entry.Amount));
        Assert.All(byCard.Concat(byTerminal), entry =>
        {
            Assert.Matches(@"^\d{6}\*{6}\d{4}$", entry.MaskedPan);
            Assert.DoesNotContain(entry.MaskedPan, new[] { DemoCards.Active, DemoCards.Poor });
        });
        Assert.Equal(-100, byTerminal[1].Delta);
    }

    [Fact]
    public async Task Unblocking_a_pin_blocked_card_clears_its_tries()
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        for (var i = 0; i < 3; i++)
        {
            await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, "0000", 100));
        }

        await context.Ledger.SetCardStatusAsync(DemoCards.Active, CardStatus.Active, CancellationToken.None);

        Assert.Equal(0, (await context.BalanceOfAsync(DemoCards.Active)).PinTries);
        Assert.True((await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 100))).IsApproved);
    }
}
