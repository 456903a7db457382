using System.Security.Cryptography;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.PostgreSql;
using SocketAtm.Testing;

namespace SocketAtm.Server.Tests.Ledger.PostgreSql;

/// <summary>
/// Two hosts' ledgers on one PostgreSQL database, each with its own writer and batches, as two hosts behind a load
/// balancer have: what one decides, the other sees, and racing requests never apply twice or overdraw.
/// </summary>
[RequiresPostgreSql]
[Collection(SharedPostgreSqlServer.Name)]
public sealed class MultiHostLedgerTests(PostgreSqlServerFixture postgres) : IAsyncLifetime
{
    private readonly List<PostgreSqlLedger> _ledgers = [];
    private string _connectionString = string.Empty;

    /// <summary>The clock, request builders and KEK both hosts share (hosts of one database must share the KEK).</summary>
    private LedgerTestContext Context { get; } = new(options => options.KeyEncryptionKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));

    private PostgreSqlLedger HostA => _ledgers[0];

    private PostgreSqlLedger HostB => _ledgers[1];

    public async Task InitializeAsync()
    {
        _connectionString = await postgres.Server.CreateDatabaseAsync();
        // Both start on the empty database at the same moment: one migrates and seeds, the other waits and finds it done.
        _ledgers.AddRange(await Task.WhenAll(OpenAsync(), OpenAsync()));
    }

    public async Task DisposeAsync()
    {
        foreach (var ledger in _ledgers)
        {
            await ledger.DisposeAsync();
        }

        await Context.DisposeAsync();
    }

    [StorageFact]
    public async Task Hosts_starting_together_on_an_empty_database_seed_it_once()
    {
        var report = await HostB.VerifyInvariantsAsync(CancellationToken.None);

        Assert.True(report.Holds, string.Join("; ", report.Violations));
        Assert.Equal(DemoData.Cards().Count(), report.AccountsChecked);
        Assert.Equal(100_000, (await HostA.GetCardBalanceAsync(DemoCards.Active, CancellationToken.None))!.LedgerBalance);
    }

    [StorageFact]
    public async Task Withdrawal_on_host_A_repeated_on_host_B_returns_the_stored_answer()
    {
        var key = Context.NextKey();
        var original = await HostA.ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key), CancellationToken.None);

        var repeat = await HostB.ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key, mti: 201), CancellationToken.None);

        Assert.Equal(ResponseCodes.Approved, original.ResponseCode);
        Assert.Equal(original with { IsReplay = true }, repeat);
        Assert.Equal(98_000, (await HostB.GetCardBalanceAsync(DemoCards.Active, CancellationToken.None))!.LedgerBalance);
    }

    [StorageFact]
    public async Task Concurrent_withdrawals_through_both_hosts_never_overdraw_and_each_is_journaled_once()
    {
        var requests = Enumerable.Range(0, 60).Select(_ => Context.Withdrawal(DemoCards.Poor, DemoCards.PoorPin, 1_000)).ToList();

        var outcomes = await Task.WhenAll(requests.Select((request, index) =>
            (index % 2 == 0 ? HostA : HostB).ExecuteAsync(request, CancellationToken.None).AsTask()));

        Assert.Equal(5, outcomes.Count(outcome => outcome.IsApproved));
        Assert.All(outcomes.Where(outcome => !outcome.IsApproved), outcome => Assert.Equal(ResponseCodes.InsufficientFunds, outcome.ResponseCode));
        Assert.Equal(0, (await HostA.GetCardBalanceAsync(DemoCards.Poor, CancellationToken.None))!.LedgerBalance);
        var journal = await HostB.ListJournalForCardAsync(DemoCards.Poor, 1_000, CancellationToken.None);
        Assert.Equal(requests.Select(request => request.Key.ToString()).Order(), journal.Select(entry => entry.Key).Order());
        Assert.Equal(60, outcomes.Select(outcome => outcome.RetrievalReference).Distinct().Count());
        Assert.True((await HostA.VerifyInvariantsAsync(CancellationToken.None)).Holds);
    }

    [StorageFact]
    public async Task The_same_request_sent_to_both_hosts_at_once_is_applied_once()
    {
        var pairs = Enumerable.Range(0, 20).Select(_ => Context.NextKey()).ToList();

        var outcomes = await Task.WhenAll(pairs.SelectMany(key => new[]
        {
            HostA.ExecuteAsync(Context.Withdrawal(DemoCards.Rich, DemoCards.RichPin, 100, key, mti: 201), CancellationToken.None).AsTask(),
            HostB.ExecuteAsync(Context.Withdrawal(DemoCards.Rich, DemoCards.RichPin, 100, key, mti: 201), CancellationToken.None).AsTask(),
        }));

        Assert.All(outcomes, outcome => Assert.Equal(ResponseCodes.Approved, outcome.ResponseCode));
        Assert.Equal(20, outcomes.Count(outcome => outcome.IsReplay));
        Assert.Equal(100_000_000 - (20 * 100), (await HostA.GetCardBalanceAsync(DemoCards.Rich, CancellationToken.None))!.LedgerBalance);
    }

    [StorageFact]
    public async Task Reversal_on_host_B_of_a_withdrawal_on_host_A_restores_funds_once()
    {
        var key = Context.NextKey();
        await HostA.ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 20_000, key), CancellationToken.None);

        var reversals = await Task.WhenAll(
            HostB.ExecuteAsync(Context.Reversal(key, 20_000), CancellationToken.None).AsTask(),
            HostA.ExecuteAsync(Context.Reversal(key, 20_000), CancellationToken.None).AsTask());

        Assert.All(reversals, reversal => Assert.Equal(ResponseCodes.Approved, reversal.ResponseCode));
        var card = await HostA.GetCardBalanceAsync(DemoCards.Active, CancellationToken.None);
        Assert.Equal(100_000, card!.LedgerBalance);
        Assert.Equal(0, card.WithdrawalsToday);
        var journal = await HostA.ListJournalForCardAsync(DemoCards.Active, 10, CancellationToken.None);
        Assert.Single(journal, entry => entry.Delta == 20_000);
    }

    [StorageFact]
    public async Task Original_and_its_reversal_racing_on_two_hosts_always_net_to_nothing()
    {
        var keys = Enumerable.Range(0, 30).Select(_ => Context.NextKey()).ToList();

        var results = await Task.WhenAll(keys.Select(async key =>
        {
            var original = HostA.ExecuteAsync(Context.Withdrawal(DemoCards.Rich, DemoCards.RichPin, 1_000, key), CancellationToken.None).AsTask();
            var reversal = HostB.ExecuteAsync(Context.Reversal(key, 1_000, pan: DemoCards.Rich), CancellationToken.None).AsTask();
            return (Original: await original, Reversal: await reversal);
        }));

        Assert.All(results, pair => Assert.True(
            (pair.Original.IsApproved && pair.Reversal.ResponseCode == ResponseCodes.Approved)
            || (pair.Original.ResponseCode == ResponseCodes.DuplicateTransmission && pair.Reversal.ResponseCode == ResponseCodes.UnableToLocateOriginal),
            $"original {pair.Original.ResponseCode}, reversal {pair.Reversal.ResponseCode}"));
        Assert.Equal(100_000_000, (await HostB.GetCardBalanceAsync(DemoCards.Rich, CancellationToken.None))!.LedgerBalance);
        Assert.True((await HostA.VerifyInvariantsAsync(CancellationToken.None)).Holds);
    }

    [StorageFact]
    public async Task Pin_tries_are_counted_across_hosts()
    {
        await HostA.ExecuteAsync(Context.Withdrawal(DemoCards.Active, "0000", 1_000), CancellationToken.None);
        await HostB.ExecuteAsync(Context.Withdrawal(DemoCards.Active, "0000", 1_000), CancellationToken.None);

        var third = await HostA.ExecuteAsync(Context.Withdrawal(DemoCards.Active, "0000", 1_000), CancellationToken.None);
        var afterwards = await HostB.ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 1_000), CancellationToken.None);

        Assert.Equal(ResponseCodes.PinTriesExceeded, third.ResponseCode);
        Assert.Equal(ResponseCodes.PinTriesExceeded, afterwards.ResponseCode);
    }

    [StorageFact]
    public async Task Pending_keys_stored_on_one_host_are_seen_and_promoted_by_the_other_and_the_first_sees_the_promotion()
    {
        var newKey = Convert.FromHexString("00112233445566778899AABBCCDDEEFF");
        Assert.NotNull(await HostB.FindTerminalAsync("ATM00003", CancellationToken.None));

        await HostA.StorePendingKeysAsync("ATM00003", newKey, newKey, TestKeyExchanges.Next(), CancellationToken.None);

        // Host B's cache lasts zero here, as a host's lasts Storage:TerminalCacheDuration.
        var seenByB = await HostB.FindTerminalAsync("ATM00003", CancellationToken.None);
        Assert.Equal(DemoData.TerminalPinKey, seenByB!.PinKey);
        Assert.Equal(newKey, seenByB.PendingKeys!.PinKey);

        // The terminal's first request under the new keys reaches host B.
        var promotion = await HostB.PromotePendingKeysAsync("ATM00003", newKey, newKey, CancellationToken.None);

        Assert.True(promotion.Promoted);
        var seenByA = await HostA.FindTerminalAsync("ATM00003", CancellationToken.None);
        Assert.Equal(newKey, seenByA!.PinKey);
        Assert.Null(seenByA.PendingKeys);
        Assert.Equal(DemoData.TerminalPinKey, seenByA.PreviousKeys!.PinKey);
    }

    [StorageFact]
    public async Task Two_hosts_promoting_the_same_pending_keys_at_once_promote_them_once()
    {
        var newKey = Convert.FromHexString("00112233445566778899AABBCCDDEEFF");
        await HostA.StorePendingKeysAsync("ATM00004", newKey, newKey, TestKeyExchanges.Next(), CancellationToken.None);

        var promotions = await Task.WhenAll(Enumerable.Range(0, 8).Select(attempt =>
            (attempt % 2 == 0 ? HostA : HostB).PromotePendingKeysAsync("ATM00004", newKey, newKey, CancellationToken.None)));

        Assert.Single(promotions, promotion => promotion.Promoted);
        Assert.All(promotions, promotion => Assert.True(promotion.AreCurrent(newKey, newKey)));
        var stored = await HostB.FindTerminalAsync("ATM00004", CancellationToken.None);
        Assert.Equal(DemoData.TerminalPinKey, stored!.PreviousKeys!.PinKey);
        Assert.Equal(3, stored.KeyVersion);
    }

    [StorageFact]
    public async Task Pending_keys_a_second_exchange_replaced_on_another_host_are_not_promoted()
    {
        var first = Convert.FromHexString("00112233445566778899AABBCCDDEEFF");
        var second = Convert.FromHexString("FFEEDDCCBBAA99887766554433221100");
        await HostA.StorePendingKeysAsync("ATM00005", first, first, TestKeyExchanges.Next(), CancellationToken.None);
        await HostB.StorePendingKeysAsync("ATM00005", second, second, TestKeyExchanges.Next(), CancellationToken.None);

        var stale = await HostA.PromotePendingKeysAsync("ATM00005", first, first, CancellationToken.None);

        Assert.False(stale.Promoted);
        Assert.False(stale.AreCurrent(first, first));
        Assert.Equal(DemoData.TerminalPinKey, stale.Terminal.PinKey);
        Assert.Equal(second, stale.Terminal.PendingKeys!.PinKey);
    }

    [StorageFact]
    public async Task Pin_under_keys_pending_from_an_exchange_on_another_host_is_not_counted_wrong()
    {
        // Host C serves terminals from its cache for an hour: it still holds ATM00009's record from before the exchange,
        // without the pending keys the terminal already uses (the writer reads them in its transaction).
        var hostC = await OpenAsync(TimeSpan.FromHours(1));
        _ledgers.Add(hostC);
        var cachedOnC = (await hostC.FindTerminalAsync(LedgerTestContext.Terminal, CancellationToken.None))!;
        var newPinKey = Convert.FromHexString("00112233445566778899AABBCCDDEEFF");
        await HostA.StorePendingKeysAsync(LedgerTestContext.Terminal, newPinKey, newPinKey, TestKeyExchanges.Next(), CancellationToken.None);
        Assert.Null((await hostC.FindTerminalAsync(LedgerTestContext.Terminal, CancellationToken.None))!.PendingKeys);

        // As many correct PINs as it takes wrong ones to block the card.
        var outcomes = new List<LedgerOutcome>();
        for (var attempt = 0; attempt < Context.Options.PinTryLimit; attempt++)
        {
            outcomes.Add(await hostC.ExecuteAsync(
                Context.WithdrawalThroughSession(cachedOnC, newPinKey, DemoCards.Active, DemoCards.ActivePin, 1_000), CancellationToken.None));
        }

        Assert.All(outcomes, outcome => Assert.Equal(ResponseCodes.Approved, outcome.ResponseCode));
        var card = await HostB.GetCardBalanceAsync(DemoCards.Active, CancellationToken.None);
        Assert.Equal(0, card!.PinTries);
        Assert.Equal(CardStatus.Active, card.Status);
    }

    [StorageFact]
    public async Task A_host_with_another_key_encryption_key_refuses_to_open()
    {
        var options = new LedgerOptions { DataDirectory = Context.Directory, KeyEncryptionKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)) };

        var refused = await Assert.ThrowsAsync<LedgerStartupException>(() => PostgreSqlLedger.OpenAsync(
            options, new PostgreSqlStorageOptions { ConnectionString = _connectionString }, Context.Time));

        Assert.Contains("same Ledger:KeyEncryptionKey", refused.Message, StringComparison.Ordinal);
    }

    [StorageFact]
    public async Task A_host_without_the_key_encryption_key_refuses_to_open_and_says_which_setting_it_needs()
    {
        var options = new LedgerOptions { DataDirectory = Path.Combine(Context.Directory, "other-host") };

        var refused = await Assert.ThrowsAsync<LedgerStartupException>(() => PostgreSqlLedger.OpenAsync(
            options, new PostgreSqlStorageOptions { ConnectionString = _connectionString }, Context.Time));

        Assert.Contains("same Ledger:KeyEncryptionKey", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Password", refused.Message, StringComparison.OrdinalIgnoreCase);
    }

    [StorageFact]
    public async Task Withdrawals_on_the_same_cards_in_different_orders_on_two_hosts_all_apply_without_deadlock()
    {
        string[] cards = [DemoCards.Active, DemoCards.Poor, DemoCards.Rich];
        string[] pins = [DemoCards.ActivePin, DemoCards.PoorPin, DemoCards.RichPin];
        var requests = Enumerable.Range(0, 240).Select(index => (Host: index % 2, Card: index % 2 == 0 ? index % 3 : 2 - (index % 3))).ToList();

        var outcomes = await Task.WhenAll(requests.Select(request =>
            (request.Host == 0 ? HostA : HostB).ExecuteAsync(Context.Withdrawal(cards[request.Card], pins[request.Card], 1), CancellationToken.None).AsTask()));

        Assert.Empty(Context.FatalErrors);
        var approvedPerCard = requests.Zip(outcomes).Where(pair => pair.Second.IsApproved).GroupBy(pair => pair.First.Card).ToDictionary(group => group.Key, group => group.Count());
        Assert.Equal(100_000 - approvedPerCard.GetValueOrDefault(0), (await HostA.GetCardBalanceAsync(DemoCards.Active, CancellationToken.None))!.LedgerBalance);
        Assert.Equal(5_000 - approvedPerCard.GetValueOrDefault(1), (await HostB.GetCardBalanceAsync(DemoCards.Poor, CancellationToken.None))!.LedgerBalance);
        Assert.Equal(80, approvedPerCard[2]);
        Assert.True((await HostA.VerifyInvariantsAsync(CancellationToken.None)).Holds);
    }

    private Task<PostgreSqlLedger> OpenAsync(TimeSpan terminalCacheDuration = default) =>
        PostgreSqlLedger.OpenAsync(
            Context.Options,
            new PostgreSqlStorageOptions { ConnectionString = _connectionString, TerminalCacheDuration = terminalCacheDuration },
            Context.Time,
            Context.FatalErrors.Add);
}
