using SocketAtm.Server.Ledger;
using SocketAtm.Server.Tests.Ledger.PostgreSql;

namespace SocketAtm.Server.Tests.Ledger.Contract;

/// <summary>
/// A repeat gets the stored answer only when it is the request decided under its key: the same kind, card and DE 4. One
/// that shares only the key is a duplicate (94): it moves nothing and is never told "approved" for money it did not move.
/// </summary>
public abstract partial class LedgerContractTests
{
    [StorageFact]
    public async Task A_repeat_with_another_card_amount_or_kind_than_the_stored_decision_is_a_duplicate_and_the_genuine_repeat_still_gets_its_answer()
    {
        var key = Context.NextKey();
        var original = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key));

        var otherCard = await ExecuteAsync(Context.Withdrawal(DemoCards.Poor, DemoCards.PoorPin, 2_000, key, mti: 201));
        var otherAmount = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 3_000, key, mti: 201));
        // A reversal repeat whose key is the withdrawal's own: the terminal would believe it had reversed something.
        var reversalRepeat = await ExecuteAsync(Context.Reversal(Context.NextKey(), 2_000, key: key, mti: 401));
        var genuine = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key, mti: 201));

        Assert.Equal(ResponseCodes.Approved, original.ResponseCode);
        Assert.Equal(ResponseCodes.DuplicateTransmission, otherCard.ResponseCode);
        Assert.Equal(ResponseCodes.DuplicateTransmission, otherAmount.ResponseCode);
        Assert.Equal(ResponseCodes.DuplicateTransmission, reversalRepeat.ResponseCode);
        Assert.Equal(original with { IsReplay = true }, genuine);
        Assert.Equal(98_000, (await BalanceOfAsync(DemoCards.Active)).LedgerBalance);
        Assert.Equal(5_000, (await BalanceOfAsync(DemoCards.Poor)).LedgerBalance);
        Assert.True((await Admin.VerifyInvariantsAsync(CancellationToken.None)).Holds);
    }
}
