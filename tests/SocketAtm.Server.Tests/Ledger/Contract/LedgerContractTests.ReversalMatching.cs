using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Tests.Ledger.PostgreSql;

namespace SocketAtm.Server.Tests.Ledger.Contract;

/// <summary>
/// A reversal belongs to its original: the same card (PAN) and the same DE 4. One that does not is refused as a security
/// event (25 for another card, 64 for another amount), restores nothing and stores nothing under its own key; a marker
/// left for an unknown original refuses only the original with the reversal's PAN and amount.
/// </summary>
public abstract partial class LedgerContractTests
{
    [StorageFact]
    public async Task Reversal_with_another_cards_pan_answers_25_restores_nothing_and_the_genuine_reversal_with_its_key_still_restores()
    {
        var key = Context.NextKey();
        await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 20_000, key));
        var reversalKey = Context.NextKey();

        var forged = await ExecuteAsync(Context.Reversal(key, 20_000, key: reversalKey, pan: DemoCards.Poor));
        var balanceAfterForgery = (await BalanceOfAsync(DemoCards.Active)).LedgerBalance;
        var genuine = await ExecuteAsync(Context.Reversal(key, 20_000, key: reversalKey));

        Assert.Equal(ResponseCodes.UnableToLocateOriginal, forged.ResponseCode);
        Assert.Equal("reversal_pan_mismatch", forged.SecurityEvent);
        Assert.Null(forged.LedgerBalance);
        Assert.Equal(80_000, balanceAfterForgery);
        Assert.Equal(ResponseCodes.Approved, genuine.ResponseCode);
        Assert.Equal(100_000, (await BalanceOfAsync(DemoCards.Active)).LedgerBalance);
        Assert.Equal(5_000, (await BalanceOfAsync(DemoCards.Poor)).LedgerBalance);
        var journal = await Admin.ListJournalForTerminalAsync(LedgerTestContext.Terminal, 10, CancellationToken.None);
        Assert.Equal(
            [(JournalDisposition.Decided, "00"), (JournalDisposition.Mismatched, "25"), (JournalDisposition.Decided, "00")],
            journal.Reverse().Select(entry => (entry.Disposition, entry.ResponseCode)));
        Assert.True((await Admin.VerifyInvariantsAsync(CancellationToken.None)).Holds);
    }

    [StorageFact]
    public async Task Reversal_with_another_amount_answers_64_restores_nothing_and_the_genuine_reversal_still_restores()
    {
        var key = Context.NextKey();
        await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 20_000, key));
        var reversalKey = Context.NextKey();

        var inflated = await ExecuteAsync(Context.Reversal(key, 40_000, key: reversalKey));
        var partOfIt = await ExecuteAsync(Context.Reversal(key, 5_000, dispensed: 0));
        var repeatOfInflated = await ExecuteAsync(Context.Reversal(key, 40_000, key: reversalKey, mti: 401));
        var balanceAfterForgeries = (await BalanceOfAsync(DemoCards.Active)).LedgerBalance;
        var genuine = await ExecuteAsync(Context.Reversal(key, 20_000, key: reversalKey));

        Assert.Equal(ResponseCodes.OriginalAmountIncorrect, inflated.ResponseCode);
        Assert.Equal("reversal_amount_mismatch", inflated.SecurityEvent);
        Assert.Equal(ResponseCodes.OriginalAmountIncorrect, partOfIt.ResponseCode);
        Assert.Equal(ResponseCodes.OriginalAmountIncorrect, repeatOfInflated.ResponseCode); // nothing stored for it to repeat
        Assert.Equal(80_000, balanceAfterForgeries);
        Assert.Equal(ResponseCodes.Approved, genuine.ResponseCode);
        Assert.Equal(100_000, (await BalanceOfAsync(DemoCards.Active)).LedgerBalance);
    }

    [StorageFact]
    public async Task Reversal_of_a_declined_original_must_still_be_of_its_card_and_amount()
    {
        var key = Context.NextKey();
        await ExecuteAsync(Context.Withdrawal(DemoCards.Poor, DemoCards.PoorPin, 9_000, key));

        var otherCard = await ExecuteAsync(Context.Reversal(key, 9_000));
        var otherAmount = await ExecuteAsync(Context.Reversal(key, 1_000, pan: DemoCards.Poor));
        var itsOwn = await ExecuteAsync(Context.Reversal(key, 9_000, pan: DemoCards.Poor));

        Assert.Equal(
            [ResponseCodes.UnableToLocateOriginal, ResponseCodes.OriginalAmountIncorrect, ResponseCodes.Approved],
            new[] { otherCard, otherAmount, itsOwn }.Select(outcome => outcome.ResponseCode));
        Assert.Equal(5_000, (await BalanceOfAsync(DemoCards.Poor)).LedgerBalance);
    }

    [StorageFact]
    public async Task A_marker_refuses_only_the_late_original_with_the_reversals_pan_and_amount()
    {
        var reversedKey = Context.NextKey();
        var forgedKey = Context.NextKey();
        var otherAmountKey = Context.NextKey();

        Assert.Equal(ResponseCodes.UnableToLocateOriginal, (await ExecuteAsync(Context.Reversal(reversedKey, 2_000))).ResponseCode);
        Assert.Equal(ResponseCodes.UnableToLocateOriginal, (await ExecuteAsync(Context.Reversal(forgedKey, 2_000, pan: DemoCards.Poor))).ResponseCode);
        Assert.Equal(ResponseCodes.UnableToLocateOriginal, (await ExecuteAsync(Context.Reversal(otherAmountKey, 3_000))).ResponseCode);
        var reversed = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, reversedKey));
        var notTheForgedOne = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, forgedKey));
        var notThatAmount = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, otherAmountKey));
        var genuineReversal = await ExecuteAsync(Context.Reversal(forgedKey, 2_000));

        Assert.Equal(ResponseCodes.DuplicateTransmission, reversed.ResponseCode);
        Assert.Equal(ResponseCodes.Approved, notTheForgedOne.ResponseCode);
        Assert.Equal(ResponseCodes.Approved, notThatAmount.ResponseCode);
        Assert.Equal(ResponseCodes.Approved, genuineReversal.ResponseCode);
        Assert.Equal(98_000, (await BalanceOfAsync(DemoCards.Active)).LedgerBalance);
        Assert.True((await Admin.VerifyInvariantsAsync(CancellationToken.None)).Holds);
    }

    [StorageFact]
    public async Task Reversals_that_disagree_about_an_unknown_original_leave_a_marker_that_refuses_it_whatever_it_carries()
    {
        var key = Context.NextKey();
        await ExecuteAsync(Context.Reversal(key, 2_000, pan: DemoCards.Poor));
        await ExecuteAsync(Context.Reversal(key, 2_000));

        var lateOriginal = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key));

        // One of the two may be forged: of refusing a genuine original and debiting for cash a terminal gave up on,
        // only the first leaves the books matching the ATM.
        Assert.Equal(ResponseCodes.DuplicateTransmission, lateOriginal.ResponseCode);
        Assert.Equal(100_000, (await BalanceOfAsync(DemoCards.Active)).LedgerBalance);
    }
}
