using System.Security.Cryptography;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Acquiring;
using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Ledger.PostgreSql;
using SocketAtm.Testing;

namespace SocketAtm.Server.Tests.Ledger.PostgreSql;

/// <summary>
/// Hosts sharing a database share forwarded requests as they share on-us ones: a repeat on another host finds the pending
/// record and waits, then the answer another host recorded; an answer and a give-up racing on two hosts take effect once.
/// </summary>
[RequiresPostgreSql]
[Collection(SharedPostgreSqlServer.Name)]
public sealed class MultiHostForwardingTests(PostgreSqlServerFixture postgres) : IAsyncLifetime
{
    private readonly List<PostgreSqlLedger> _ledgers = [];

    private LedgerTestContext Context { get; } = new(options => options.KeyEncryptionKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));

    private PostgreSqlLedger HostA => _ledgers[0];

    private PostgreSqlLedger HostB => _ledgers[1];

    public async Task InitializeAsync()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync();
        var storage = new PostgreSqlStorageOptions { ConnectionString = connectionString };
        _ledgers.Add(await PostgreSqlLedger.OpenAsync(Context.Options, storage, Context.Time, Context.FatalErrors.Add));
        _ledgers.Add(await PostgreSqlLedger.OpenAsync(Context.Options, storage, Context.Time, Context.FatalErrors.Add));
    }

    public async Task DisposeAsync()
    {
        foreach (var ledger in _ledgers)
        {
            await ledger.DisposeAsync();
        }

        await Context.DisposeAsync();
    }

    private LedgerRequest Forwardable(RequestKey key, int mti = 200) =>
        Context.Withdrawal("5413330000000019", "1234", 2_000, key, mti) with { Upstream = new ForwardingIntent("demo-issuer", key.Stan, "0315100000") };

    [StorageFact]
    public async Task A_repeat_on_another_host_waits_while_pending_and_then_replays_the_answer_recorded_on_the_first()
    {
        var key = Context.NextKey();
        var forwarded = await HostA.ExecuteAsync(Forwardable(key), CancellationToken.None);

        var waiting = await HostB.ExecuteAsync(Forwardable(key, mti: 201), CancellationToken.None);
        var answered = await HostA.RecordIssuerAnswerAsync(key, new IssuerAnswer(ResponseCodes.Approved, "XYZ123"), CancellationToken.None);
        var replayed = await HostB.ExecuteAsync(Forwardable(key, mti: 201), CancellationToken.None);
        var duplicate = await HostB.ExecuteAsync(Forwardable(key), CancellationToken.None);

        Assert.Equal(ForwardingStatus.Forward, forwarded.Forwarding);
        Assert.Equal(ForwardingStatus.Wait, waiting.Forwarding);
        Assert.Equal(answered with { IsReplay = true }, replayed);
        Assert.Equal(ResponseCodes.DuplicateTransmission, duplicate.ResponseCode);
        Assert.Equal(ForwardState.Answered, (await HostB.FindForwardAsync(key, CancellationToken.None))!.State);
        Assert.True((await HostB.VerifyInvariantsAsync(CancellationToken.None)).Holds);
    }

    [StorageFact]
    public async Task An_answer_and_a_give_up_racing_on_two_hosts_take_effect_once()
    {
        var keys = Enumerable.Range(0, 20).Select(_ => Context.NextKey()).ToList();
        foreach (var key in keys)
        {
            await HostA.ExecuteAsync(Forwardable(key), CancellationToken.None);
        }

        var raced = await Task.WhenAll(keys.Select(async key =>
        {
            var results = await Task.WhenAll(
                HostA.RecordIssuerAnswerAsync(key, new IssuerAnswer(ResponseCodes.Approved, "XYZ123"), CancellationToken.None),
                HostB.GiveUpAsync(key, CancellationToken.None));
            return (Key: key, Results: results);
        }));

        foreach (var (key, results) in raced)
        {
            // Exactly one of the two changed the record; the other was told the stored answer it found.
            Assert.Single(results, result => !result.IsReplay);
            var stored = (await HostB.FindForwardAsync(key, CancellationToken.None))!;
            Assert.Equal(stored.State == ForwardState.GivenUp, stored.ReversalOwed);
        }

        var owed = await HostA.ListOwedMessagesAsync("demo-issuer", 100, CancellationToken.None);
        var book = await HostA.ListAcquirerBookAsync("demo-issuer", CancellationToken.None);
        Assert.Equal(keys.Count, owed.Count + book.Count);
        Assert.True((await HostA.VerifyInvariantsAsync(CancellationToken.None)).Holds);
    }

    [StorageFact]
    public async Task Two_hosts_claiming_the_queue_at_once_each_claim_different_entries_and_a_dead_hosts_claims_are_taken_over()
    {
        // Twenty cards, one owed reversal each (so per-card order does not hold any back).
        var keys = new List<RequestKey>();
        for (var card = 0; card < 20; card++)
        {
            var key = Context.NextKey();
            keys.Add(key);
            var pan = "541333" + card.ToString("D9", System.Globalization.CultureInfo.InvariantCulture);
            await HostA.ExecuteAsync(
                Context.Withdrawal(pan + LuhnDigit(pan), "1234", 2_000, key) with { Upstream = new ForwardingIntent("demo-issuer", key.Stan, "0315100000") },
                CancellationToken.None);
            await HostA.GiveUpAsync(key, CancellationToken.None);
        }

        var lease = Context.Time.GetUtcNow().AddSeconds(20);
        var claims = await Task.WhenAll(
            HostA.ClaimSafAsync("demo-issuer", "a", lease, 20, CancellationToken.None),
            HostB.ClaimSafAsync("demo-issuer", "b", lease, 20, CancellationToken.None));
        var claimedByA = claims[0].Select(entry => entry.OriginalKey).ToList();

        // Host a dies holding its claims; after the lease b takes them over.
        Context.Time.Advance(TimeSpan.FromSeconds(21));
        var takenOver = await HostB.ClaimSafAsync("demo-issuer", "b2", Context.Time.GetUtcNow().AddSeconds(20), 20, CancellationToken.None);

        Assert.Equal(keys.Count, claims[0].Count + claims[1].Count);
        Assert.Empty(claims[0].Select(entry => entry.OriginalKey).Intersect(claims[1].Select(entry => entry.OriginalKey)));
        Assert.Equal(keys.Count, takenOver.Count);
        Assert.All(takenOver.Where(entry => claimedByA.Contains(entry.OriginalKey)), entry => Assert.Equal(2, entry.Saf.Attempts));
    }

    [StorageFact]
    public async Task Two_hosts_standing_in_at_once_for_one_card_never_exceed_its_daily_count_together()
    {
        var keys = Enumerable.Range(0, 6).Select(_ => Context.NextKey()).ToList();
        foreach (var key in keys)
        {
            await HostA.ExecuteAsync(Forwardable(key), CancellationToken.None);
        }

        // The card has no stand-in usage yet: no row to lock, so only the per-card advisory lock keeps the hosts apart.
        var terms = new StandInTerms("demo-issuer", 10_000, 100_000, 2, SocketAtm.Server.Security.StandInPinResult.Verified);
        var results = await Task.WhenAll(keys.Select((key, index) =>
            (index % 2 == 0 ? HostA : HostB).StandInAsync(key, terms, "5413330000000019", CancellationToken.None)));

        Assert.Equal(2, results.Count(result => result.ResponseCode == ResponseCodes.Approved));
        Assert.Equal(4, results.Count(result => result.ResponseCode == ResponseCodes.ExceedsFrequencyLimit));
        Assert.Equal(2, (await HostB.ListSafAsync("demo-issuer", 10, CancellationToken.None)).Count);
    }

    private static char LuhnDigit(string digits)
    {
        var sum = 0;
        for (var index = 0; index < digits.Length; index++)
        {
            var digit = digits[digits.Length - 1 - index] - '0';
            sum += index % 2 == 0 ? (digit * 2 > 9 ? (digit * 2) - 9 : digit * 2) : digit;
        }

        return (char)('0' + ((10 - (sum % 10)) % 10));
    }
}
