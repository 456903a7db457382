using SocketAtm.Server.Ledger;
using SocketAtm.Server.Tests.Ledger.PostgreSql;

namespace SocketAtm.Server.Tests.Ledger.Contract;

/// <summary>
/// The ledger contract (<see cref="ILedger"/> and <see cref="ILedgerAdmin"/>), run against every implementation: each
/// derived class opens its own kind of ledger on the demo data, on the context's fake clock.
/// </summary>
public abstract partial class LedgerContractTests : IAsyncLifetime
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
    public async Task Withdrawal_within_balance_is_approved_with_ids_and_the_remaining_balance()
    {
        var outcome = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000));

        Assert.Equal(ResponseCodes.Approved, outcome.ResponseCode);
        Assert.Matches("^[0-9]{6}$", outcome.AuthorizationId);
        Assert.Matches("^[0-9]{12}$", outcome.RetrievalReference);
        Assert.Equal(98_000, outcome.LedgerBalance);
        Assert.Equal(98_000, (await BalanceOfAsync(DemoCards.Active)).LedgerBalance);
    }

    [StorageFact]
    public async Task Declines_carry_their_codes_and_move_no_money()
    {
        var insufficient = await ExecuteAsync(Context.Withdrawal(DemoCards.Poor, DemoCards.PoorPin, 6_000));
        var overLimit = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 50_001));
        var unknown = await ExecuteAsync(Context.Withdrawal("4761739001010184", "1234", 1_000));
        var restricted = await ExecuteAsync(Context.Withdrawal(DemoCards.Restricted, DemoCards.RestrictedPin, 1_000));
        var expired = await ExecuteAsync(Context.Withdrawal(DemoCards.Expired, DemoCards.ExpiredPin, 1_000));
        var wrongCurrency = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 1_000, currency: 978));

        Assert.Equal(
            [ResponseCodes.InsufficientFunds, ResponseCodes.ExceedsAmountLimit, ResponseCodes.InvalidCardNumber, ResponseCodes.RestrictedCard,
                ResponseCodes.ExpiredCard, ResponseCodes.InvalidAmount],
            new[] { insufficient, overLimit, unknown, restricted, expired, wrongCurrency }.Select(outcome => outcome.ResponseCode));
        Assert.Equal(5_000, (await BalanceOfAsync(DemoCards.Poor)).LedgerBalance);
        Assert.Equal(100_000, (await BalanceOfAsync(DemoCards.Active)).LedgerBalance);
    }

    [StorageFact]
    public async Task Third_wrong_pin_blocks_the_card_with_75_and_a_correct_pin_afterwards_is_refused()
    {
        var first = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, "0000", 1_000));
        var second = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, "0000", 1_000));
        var third = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, "0000", 1_000));
        var correct = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 1_000));

        Assert.Equal([ResponseCodes.IncorrectPin, ResponseCodes.IncorrectPin, ResponseCodes.PinTriesExceeded, ResponseCodes.PinTriesExceeded],
            new[] { first, second, third, correct }.Select(outcome => outcome.ResponseCode));
        Assert.Equal(100_000, (await BalanceOfAsync(DemoCards.Active)).LedgerBalance);
    }

    [StorageFact]
    public async Task Correct_pin_resets_the_try_counter()
    {
        await ExecuteAsync(Context.Withdrawal(DemoCards.Active, "0000", 1_000));
        await ExecuteAsync(Context.Withdrawal(DemoCards.Active, "0000", 1_000));
        await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 1_000));

        var afterReset = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, "0000", 1_000));

        Assert.Equal(ResponseCodes.IncorrectPin, afterReset.ResponseCode);
        Assert.Equal(1, (await BalanceOfAsync(DemoCards.Active)).PinTries);
    }

    [StorageFact]
    public async Task Repeat_returns_the_stored_answer_and_applies_nothing()
    {
        var key = Context.NextKey();
        var original = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key));
        await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 1_000));

        var repeat = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key, mti: 201));

        Assert.True(repeat.IsReplay);
        Assert.Equal(original with { IsReplay = true }, repeat);
        Assert.Equal(97_000, (await BalanceOfAsync(DemoCards.Active)).LedgerBalance);
    }

    [StorageFact]
    public async Task New_original_with_a_used_key_is_declined_with_94_and_applies_nothing()
    {
        var key = Context.NextKey();
        await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key));

        var duplicate = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 3_000, key));

        Assert.Equal(ResponseCodes.DuplicateTransmission, duplicate.ResponseCode);
        Assert.Equal(98_000, (await BalanceOfAsync(DemoCards.Active)).LedgerBalance);
        var journal = await Admin.ListJournalForTerminalAsync(LedgerTestContext.Terminal, 10, CancellationToken.None);
        Assert.Equal(["00", "94"], journal.Reverse().Select(entry => entry.ResponseCode));
    }

    [StorageFact]
    public async Task Full_reversal_restores_funds_and_daily_usage_once()
    {
        var key = Context.NextKey();
        await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 20_000, key));
        var reversalKey = Context.NextKey();

        var reversal = await ExecuteAsync(Context.Reversal(key, 20_000, key: reversalKey));
        var repeated = await ExecuteAsync(Context.Reversal(key, 20_000, key: reversalKey, mti: 401));
        var second = await ExecuteAsync(Context.Reversal(key, 20_000));

        Assert.Equal(ResponseCodes.Approved, reversal.ResponseCode);
        Assert.True(repeated.IsReplay);
        Assert.Equal(ResponseCodes.Approved, second.ResponseCode);
        var card = await BalanceOfAsync(DemoCards.Active);
        Assert.Equal(100_000, card.LedgerBalance);
        Assert.Equal(0, card.UsedToday);
        Assert.Equal(0, card.WithdrawalsToday);
    }

    [StorageFact]
    public async Task Partial_reversal_restores_the_original_less_the_dispensed_amount()
    {
        var key = Context.NextKey();
        await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 20_000, key));

        var reversal = await ExecuteAsync(Context.Reversal(key, 20_000, dispensed: 5_000));

        Assert.Equal(ResponseCodes.Approved, reversal.ResponseCode);
        var card = await BalanceOfAsync(DemoCards.Active);
        Assert.Equal(95_000, card.LedgerBalance);
        Assert.Equal(5_000, card.UsedToday);
        Assert.Equal(1, card.WithdrawalsToday);
    }

    [StorageFact]
    public async Task Reversal_dispensing_more_than_the_original_answers_13_and_the_corrected_reversal_restores_funds()
    {
        var key = Context.NextKey();
        await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 100, key));

        var tooMuch = await ExecuteAsync(Context.Reversal(key, 100, dispensed: 200));
        var balanceAfterRefusal = await BalanceOfAsync(DemoCards.Active);
        var corrected = await ExecuteAsync(Context.Reversal(key, 100));

        Assert.Equal(ResponseCodes.InvalidAmount, tooMuch.ResponseCode);
        Assert.Equal(99_900, balanceAfterRefusal.LedgerBalance);
        Assert.Equal(ResponseCodes.Approved, corrected.ResponseCode);
        var card = await BalanceOfAsync(DemoCards.Active);
        Assert.Equal(100_000, card.LedgerBalance);
        Assert.Equal(0, card.WithdrawalsToday);
    }

    [StorageFact]
    public async Task Reversal_of_an_unknown_original_answers_25_and_the_late_original_is_declined_with_94()
    {
        var key = Context.NextKey();

        var reversal = await ExecuteAsync(Context.Reversal(key, 2_000));
        var lateOriginal = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key));
        var repeatOfLateOriginal = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key, mti: 201));

        Assert.Equal(ResponseCodes.UnableToLocateOriginal, reversal.ResponseCode);
        Assert.Equal(ResponseCodes.DuplicateTransmission, lateOriginal.ResponseCode);
        Assert.Equal(ResponseCodes.DuplicateTransmission, repeatOfLateOriginal.ResponseCode);
        Assert.Equal(100_000, (await BalanceOfAsync(DemoCards.Active)).LedgerBalance);
    }

    [StorageFact]
    public async Task Concurrent_withdrawals_on_one_account_never_overdraw()
    {
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 40)
            .Select(_ => ExecuteAsync(Context.Withdrawal(DemoCards.Poor, DemoCards.PoorPin, 1_000))));

        Assert.Equal(5, outcomes.Count(outcome => outcome.IsApproved));
        Assert.All(outcomes.Where(outcome => !outcome.IsApproved), outcome => Assert.Equal(ResponseCodes.InsufficientFunds, outcome.ResponseCode));
        Assert.Equal(0, (await BalanceOfAsync(DemoCards.Poor)).LedgerBalance);
        Assert.Equal(40, outcomes.Select(outcome => outcome.RetrievalReference).Distinct().Count());
        Assert.True((await Admin.VerifyInvariantsAsync(CancellationToken.None)).Holds);
    }

    [StorageFact]
    public async Task Restart_keeps_balances_pin_tries_keys_and_stored_answers()
    {
        var key = Context.NextKey();
        var original = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key));
        await ExecuteAsync(Context.Withdrawal(DemoCards.Poor, "0000", 1_000));
        var newPinKey = Convert.FromHexString("0123456789ABCDEFFEDCBA9876543210");
        await Ledger.StorePendingKeysAsync("ATM00010", newPinKey, newPinKey, TestKeyExchanges.Next(), CancellationToken.None);
        await Ledger.PromotePendingKeysAsync("ATM00010", newPinKey, newPinKey, CancellationToken.None);
        var pendingAcrossRestart = Convert.FromHexString("00112233445566778899AABBCCDDEEFF");
        await Ledger.StorePendingKeysAsync("ATM00010", pendingAcrossRestart, pendingAcrossRestart, TestKeyExchanges.Next(), CancellationToken.None);

        await Ledger.DisposeAsync();
        _ledger = await OpenLedgerAsync(Context);

        var repeat = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key, mti: 201));
        Assert.Equal(original with { IsReplay = true }, repeat);
        Assert.Equal(98_000, (await BalanceOfAsync(DemoCards.Active)).LedgerBalance);
        Assert.Equal(1, (await BalanceOfAsync(DemoCards.Poor)).PinTries);
        var terminal = (await Ledger.FindTerminalAsync("ATM00010", CancellationToken.None))!;
        Assert.Equal(newPinKey, terminal.PinKey);
        Assert.Equal(pendingAcrossRestart, terminal.PendingKeys!.PinKey);
        Assert.True((await Admin.VerifyInvariantsAsync(CancellationToken.None)).Holds);
    }

    [StorageFact]
    public async Task Admin_adds_cards_and_blocks_and_unblocks_them()
    {
        await Admin.AddCardsAsync([new CardRegistration { Pan = "4000001234567899", Pin = "9876", Expiry = "2912", OpeningBalance = 7_000 }], CancellationToken.None);
        await Admin.SetCardStatusAsync("4000001234567899", CardStatus.Lost, CancellationToken.None);
        var lost = await ExecuteAsync(Context.Withdrawal("4000001234567899", "9876", 1_000));
        await Admin.SetCardStatusAsync("4000001234567899", CardStatus.Active, CancellationToken.None);
        var approved = await ExecuteAsync(Context.Withdrawal("4000001234567899", "9876", 1_000));

        Assert.Equal(ResponseCodes.LostCard, lost.ResponseCode);
        Assert.Equal(ResponseCodes.Approved, approved.ResponseCode);
        Assert.Equal(6_000, (await BalanceOfAsync("4000001234567899")).LedgerBalance);
        await Assert.ThrowsAsync<ArgumentException>(() => Admin.AddCardsAsync(
            [new CardRegistration { Pan = "4000001234567899", Pin = "9876", Expiry = "2912" }], CancellationToken.None));
        var journal = await Admin.ListJournalForCardAsync("4000001234567899", 10, CancellationToken.None);
        Assert.Equal(2, journal.Count);
        Assert.DoesNotContain(journal, entry => entry.MaskedPan.Contains("4000001234567899", StringComparison.Ordinal));
    }

    internal Task<LedgerOutcome> ExecuteAsync(LedgerRequest request) => Ledger.ExecuteAsync(request, CancellationToken.None).AsTask();

    internal async Task<CardBalance> BalanceOfAsync(string pan) =>
        await Admin.GetCardBalanceAsync(pan, CancellationToken.None) ?? throw new InvalidOperationException("Card not on file.");
}
