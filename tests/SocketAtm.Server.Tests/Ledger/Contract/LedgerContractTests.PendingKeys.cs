using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Tests.Ledger.PostgreSql;

namespace SocketAtm.Server.Tests.Ledger.Contract;

/// <summary>
/// PROTOCOL.md §11.3 in the ledger: a key exchange stores its keys as pending and leaves the current ones in force; the
/// terminal's first use of them makes them current (once, and only if they are still the pending ones), keeping the
/// replaced ones for the overlap; and the PIN is never counted against keys the terminal does not use.
/// </summary>
public abstract partial class LedgerContractTests
{
    private static readonly byte[] FirstKey = Convert.FromHexString("0123456789ABCDEFFEDCBA9876543210");
    private static readonly byte[] SecondKey = Convert.FromHexString("00112233445566778899AABBCCDDEEFF");

    [StorageFact]
    public async Task Stored_keys_are_pending_and_the_current_keys_stay_current()
    {
        await Ledger.StorePendingKeysAsync(LedgerTestContext.Terminal, FirstKey, SecondKey, TestKeyExchanges.Next(), CancellationToken.None);

        var terminal = (await Ledger.FindTerminalAsync(LedgerTestContext.Terminal, CancellationToken.None))!;
        Assert.Equal(DemoData.TerminalPinKey, terminal.PinKey);
        Assert.Equal(DemoData.TerminalMacKey, terminal.MacKey);
        Assert.Equal(FirstKey, terminal.PendingKeys!.PinKey);
        Assert.Equal(SecondKey, terminal.PendingKeys.MacKey);
        Assert.Null(terminal.PreviousKeys);
    }

    [StorageFact]
    public async Task A_second_exchange_before_use_replaces_the_pending_keys_and_the_first_ones_are_never_promoted()
    {
        await Ledger.StorePendingKeysAsync(LedgerTestContext.Terminal, FirstKey, FirstKey, TestKeyExchanges.Next(), CancellationToken.None);
        await Ledger.StorePendingKeysAsync(LedgerTestContext.Terminal, SecondKey, SecondKey, TestKeyExchanges.Next(), CancellationToken.None);

        var stale = await Ledger.PromotePendingKeysAsync(LedgerTestContext.Terminal, FirstKey, FirstKey, CancellationToken.None);

        Assert.False(stale.Promoted);
        Assert.Equal(DemoData.TerminalPinKey, stale.Terminal.PinKey);
        Assert.Equal(SecondKey, stale.Terminal.PendingKeys!.PinKey);
        var used = await Ledger.PromotePendingKeysAsync(LedgerTestContext.Terminal, SecondKey, SecondKey, CancellationToken.None);
        Assert.True(used.Promoted);
        Assert.Equal(SecondKey, used.Terminal.PinKey);
    }

    [StorageFact]
    public async Task Promotion_makes_the_pending_keys_current_keeps_the_replaced_ones_for_the_overlap_and_is_done_once()
    {
        await Ledger.StorePendingKeysAsync(LedgerTestContext.Terminal, FirstKey, SecondKey, TestKeyExchanges.Next(), CancellationToken.None);
        var version = (await Ledger.FindTerminalAsync(LedgerTestContext.Terminal, CancellationToken.None))!.KeyVersion;

        var promotion = await Ledger.PromotePendingKeysAsync(LedgerTestContext.Terminal, FirstKey, SecondKey, CancellationToken.None);
        // A second request under the same keys, or the retry of a promotion whose answer was lost.
        var again = await Ledger.PromotePendingKeysAsync(LedgerTestContext.Terminal, FirstKey, SecondKey, CancellationToken.None);

        Assert.True(promotion.Promoted);
        Assert.False(again.Promoted);
        Assert.True(again.AreCurrent(FirstKey, SecondKey));
        var terminal = (await Ledger.FindTerminalAsync(LedgerTestContext.Terminal, CancellationToken.None))!;
        Assert.Equal(FirstKey, terminal.PinKey);
        Assert.Equal(SecondKey, terminal.MacKey);
        Assert.Null(terminal.PendingKeys);
        Assert.Equal(DemoData.TerminalPinKey, terminal.PreviousKeys!.PinKey);
        Assert.Equal(DemoData.TerminalMacKey, terminal.PreviousKeys.MacKey);
        Assert.Equal(Context.Time.GetUtcNow() + Context.Options.KeyOverlap, terminal.PreviousKeys.ValidUntil);
        Assert.Equal(version + 1, terminal.KeyVersion);
    }

    [StorageFact]
    public async Task Exchange_run_again_after_its_answer_was_lost_stores_the_keys_once()
    {
        await Ledger.StorePendingKeysAsync(LedgerTestContext.Terminal, FirstKey, FirstKey, TestKeyExchanges.Next(), CancellationToken.None);
        var version = (await Ledger.FindTerminalAsync(LedgerTestContext.Terminal, CancellationToken.None))!.KeyVersion;

        // What a retry does when the first attempt committed but its answer never came back.
        await Ledger.StorePendingKeysAsync(LedgerTestContext.Terminal, FirstKey, FirstKey, TestKeyExchanges.Next(), CancellationToken.None);

        var terminal = (await Ledger.FindTerminalAsync(LedgerTestContext.Terminal, CancellationToken.None))!;
        Assert.Equal(version, terminal.KeyVersion);
        Assert.Equal(FirstKey, terminal.PendingKeys!.PinKey);
        Assert.Equal(DemoData.TerminalPinKey, terminal.PinKey);
    }

    [StorageFact]
    public async Task Pin_verified_by_a_session_under_replaced_keys_counts_only_against_the_current_keys()
    {
        var stale = (await Ledger.FindTerminalAsync(LedgerTestContext.Terminal, CancellationToken.None))!;
        await Ledger.StorePendingKeysAsync(LedgerTestContext.Terminal, SecondKey, SecondKey, TestKeyExchanges.Next(), CancellationToken.None);
        await Ledger.PromotePendingKeysAsync(LedgerTestContext.Terminal, SecondKey, SecondKey, CancellationToken.None);

        // The terminal encrypts under the keys it was just given; the session still holds the record from before.
        var correct = await ExecuteAsync(Context.WithdrawalThroughSession(stale, SecondKey, DemoCards.Active, DemoCards.ActivePin, 1_000));
        var wrong = await ExecuteAsync(Context.WithdrawalThroughSession(stale, SecondKey, DemoCards.Active, "0000", 1_000));

        Assert.Equal(ResponseCodes.Approved, correct.ResponseCode);
        Assert.Equal(ResponseCodes.IncorrectPin, wrong.ResponseCode);
        Assert.Equal(1, (await BalanceOfAsync(DemoCards.Active)).PinTries);
    }

    [StorageFact]
    public async Task Pin_under_pending_keys_a_session_has_not_seen_yet_is_correct_and_one_under_no_key_is_wrong()
    {
        var stale = (await Ledger.FindTerminalAsync(LedgerTestContext.Terminal, CancellationToken.None))!;
        await Ledger.StorePendingKeysAsync(LedgerTestContext.Terminal, SecondKey, SecondKey, TestKeyExchanges.Next(), CancellationToken.None);

        var correct = await ExecuteAsync(Context.WithdrawalThroughSession(stale, SecondKey, DemoCards.Active, DemoCards.ActivePin, 1_000));
        var underNoKey = await ExecuteAsync(Context.WithdrawalThroughSession(stale, FirstKey, DemoCards.Active, DemoCards.ActivePin, 1_000));

        Assert.Equal(ResponseCodes.Approved, correct.ResponseCode);
        Assert.Equal(ResponseCodes.IncorrectPin, underNoKey.ResponseCode);
        Assert.Equal(1, (await BalanceOfAsync(DemoCards.Active)).PinTries);
    }

    [StorageFact]
    public async Task Key_events_are_journaled_with_their_check_values_and_leave_the_invariants_holding()
    {
        var issued = await ExecuteAsync(KeyEvent(JournalDisposition.KeysIssued, "TPK KCV 08D7B4, TAK KCV 08D7B4"));
        var promoted = await ExecuteAsync(KeyEvent(JournalDisposition.KeysPromoted, "TPK KCV 08D7B4, TAK KCV 08D7B4"));
        await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 1_000));

        Assert.Equal(ResponseCodes.Approved, issued.ResponseCode);
        Assert.Equal(ResponseCodes.Approved, promoted.ResponseCode);
        var journal = await Admin.ListJournalForTerminalAsync(LedgerTestContext.Terminal, 10, CancellationToken.None);
        Assert.Equal(
            [JournalDisposition.Decided, JournalDisposition.KeysPromoted, JournalDisposition.KeysIssued],
            journal.Select(row => row.Disposition));
        Assert.All(journal.Skip(1), row =>
        {
            Assert.Equal(TransactionKind.KeyExchange, row.Kind);
            Assert.Equal("TPK KCV 08D7B4, TAK KCV 08D7B4", row.Detail);
            Assert.Equal(0, row.Delta);
        });
        Assert.Null(journal[0].Detail);
        Assert.True((await Admin.VerifyInvariantsAsync(CancellationToken.None)).Holds);
    }

    private LedgerRequest KeyEvent(JournalDisposition disposition, string detail) => new()
    {
        Kind = TransactionKind.KeyExchange,
        Key = Context.NextKey(),
        Mti = 800,
        Pan = string.Empty,
        KeyEvent = disposition,
        Detail = detail,
        ReceivedAt = Context.Time.GetUtcNow(),
    };

    [StorageFact]
    public async Task An_exchange_not_later_than_the_last_stores_nothing_and_a_repeat_of_the_pending_one_gets_its_keys()
    {
        var earlier = TestKeyExchanges.Next();
        var exchange = TestKeyExchanges.Next();
        var issued = await Ledger.StorePendingKeysAsync(LedgerTestContext.Terminal, FirstKey, FirstKey, exchange, CancellationToken.None);
        var version = issued.Terminal.KeyVersion;

        var older = await Ledger.StorePendingKeysAsync(LedgerTestContext.Terminal, SecondKey, SecondKey, earlier, CancellationToken.None);
        var sameSecondLowerStan = await Ledger.StorePendingKeysAsync(
            LedgerTestContext.Terminal, SecondKey, SecondKey, exchange with { Stan = exchange.Stan - 1 }, CancellationToken.None);
        var repeat = await Ledger.StorePendingKeysAsync(LedgerTestContext.Terminal, SecondKey, SecondKey, exchange, CancellationToken.None);

        Assert.Equal(KeyExchangeOrder.Later, issued.Order);
        Assert.Equal(KeyExchangeOrder.NotLater, older.Order);
        Assert.Equal(KeyExchangeOrder.NotLater, sameSecondLowerStan.Order);
        Assert.Equal(KeyExchangeOrder.RepeatOfPending, repeat.Order);
        Assert.Equal(FirstKey, repeat.Terminal.PendingKeys!.PinKey);
        var stored = (await Ledger.FindTerminalAsync(LedgerTestContext.Terminal, CancellationToken.None))!;
        Assert.Equal(FirstKey, stored.PendingKeys!.MacKey);
        Assert.Equal(version, stored.KeyVersion);
        Assert.Equal(exchange, stored.LastKeyExchange);

        // Once its keys are current, the same exchange again is a replay: nothing is issued.
        await Ledger.PromotePendingKeysAsync(LedgerTestContext.Terminal, FirstKey, FirstKey, CancellationToken.None);
        var afterUse = await Ledger.StorePendingKeysAsync(LedgerTestContext.Terminal, SecondKey, SecondKey, exchange, CancellationToken.None);
        Assert.Equal(KeyExchangeOrder.NotLater, afterUse.Order);
        Assert.Null(afterUse.Terminal.PendingKeys);
    }
}
