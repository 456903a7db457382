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

        var owed = await HostA.ListOwedReversalsAsync("demo-issuer", 100, CancellationToken.None);
        var book = await HostA.ListAcquirerBookAsync("demo-issuer", CancellationToken.None);
        Assert.Equal(keys.Count, owed.Count + book.Count);
        Assert.True((await HostA.VerifyInvariantsAsync(CancellationToken.None)).Holds);
    }
}
