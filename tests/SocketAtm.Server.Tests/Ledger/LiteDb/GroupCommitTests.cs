using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using LiteDB;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Model;

namespace SocketAtm.Server.Tests.Ledger.LiteDb;

public class GroupCommitTests
{
    [Fact]
    public async Task Concurrent_withdrawals_on_one_account_never_overdraw_and_each_approval_is_journaled_once()
    {
        await using var context = new LedgerTestContext();
        await context.OpenAsync();

        // 50.00 on the card, 60 callers each want 1.00: exactly 50 can be approved, whatever the batching.
        var requests = Enumerable.Range(0, 60).Select(_ => context.Withdrawal(DemoCards.Poor, DemoCards.PoorPin, 100)).ToList();
        var outcomes = await Task.WhenAll(requests.Select(request => Task.Run(() => context.ExecuteAsync(request))));

        var approved = outcomes.Where(outcome => outcome.IsApproved).ToList();
        Assert.Equal(10, approved.Count); // the default daily count limit of 10 binds before the funds do
        Assert.All(outcomes.Where(outcome => !outcome.IsApproved), outcome => Assert.Equal(ResponseCodes.ExceedsFrequencyLimit, outcome.ResponseCode));
        Assert.Equal(approved.Count, approved.Select(outcome => outcome.RetrievalReference).Distinct().Count());
        var balance = await context.BalanceOfAsync(DemoCards.Poor);
        Assert.Equal(5_000 - (approved.Count * 100), balance.LedgerBalance);
        var journal = await context.Ledger.ListJournalForCardAsync(DemoCards.Poor, 1000, CancellationToken.None);
        Assert.Equal(60, journal.Count);
        Assert.Equal(approved.Count, journal.Count(entry => entry.ResponseCode == ResponseCodes.Approved));
        Assert.Equal(requests.Count, journal.Select(entry => entry.Key).Distinct().Count());
        Assert.True((await context.Ledger.VerifyInvariantsAsync(CancellationToken.None)).Holds);
    }

    [Fact]
    public async Task Concurrent_withdrawals_stop_exactly_at_zero_when_funds_bind()
    {
        await using var context = new LedgerTestContext(options => options.DefaultDailyCountLimit = 1000);
        await context.OpenAsync();
        var pan = "4000001234567899";
        await context.Ledger.AddCardsAsync(
            [new CardRegistration { Pan = pan, Pin = "0000", Expiry = "2812", OpeningBalance = 1_000, DailyAmountLimit = 1_000_000 }],
            CancellationToken.None);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 200)
            .Select(_ => context.Withdrawal(pan, "0000", 30))
            .Select(request => Task.Run(() => context.ExecuteAsync(request))));

        Assert.Equal(33, outcomes.Count(outcome => outcome.IsApproved));
        Assert.All(outcomes.Where(outcome => !outcome.IsApproved), outcome => Assert.Equal(ResponseCodes.InsufficientFunds, outcome.ResponseCode));
        Assert.All(outcomes, outcome => Assert.True(outcome.LedgerBalance >= 0));
        Assert.Equal(10, (await context.BalanceOfAsync(pan)).LedgerBalance);
    }

    [Fact]
    public async Task Requests_queued_together_are_committed_together()
    {
        var streams = new ControlledStreamFactory();
        using var meters = new TestMeterFactory();
        var batchSizes = new ConcurrentBag<int>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == LedgerMetrics.MeterName && meters.Created.Contains(instrument.Meter)
                    && instrument.Name == "socketatm.ledger.batch.size")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<int>((_, value, _, _) => batchSizes.Add(value));
        listener.Start();
        await using var context = new LedgerTestContext();
        await context.OpenAsync(streams, meters);

        // Hold the writer in the sync of a first batch so that the next requests pile up behind it.
        streams.HoldLogSyncs();
        var first = context.ExecuteAsync(context.Withdrawal(DemoCards.Rich, DemoCards.RichPin, 100));
        Assert.True(await streams.LogSyncStarted.WaitAsync(TimeSpan.FromSeconds(10)));
        var queued = Enumerable.Range(0, 20).Select(_ => context.ExecuteAsync(context.Withdrawal(DemoCards.Rich, DemoCards.RichPin, 100))).ToList();
        streams.LogSyncGate.Set();
        var outcomes = await Task.WhenAll(queued.Append(first));

        Assert.All(outcomes, outcome => Assert.True(outcome.IsApproved));
        Assert.Contains(20, batchSizes);
    }

    [Fact]
    public async Task No_approval_is_answered_before_the_sync_that_makes_its_debit_durable()
    {
        var streams = new CrashConsistentStreamFactory { SyncDelay = TimeSpan.FromMilliseconds(15) };
        await using var context = new LedgerTestContext(options => options.CheckpointEveryBatches = 3);
        await context.OpenAsync(streams);

        // At the moment each caller sees its answer, take what a power cut would leave on disk.
        var seen = new ConcurrentBag<(RequestKey Key, LedgerOutcome Outcome, byte[] Data, byte[] Log)>();
        var requests = Enumerable.Range(0, 24).Select(_ => context.Withdrawal(DemoCards.Rich, DemoCards.RichPin, 1_000)).ToList();
        await Task.WhenAll(requests.Select(request => Task.Run(async () =>
        {
            var outcome = await context.ExecuteAsync(request);
            var (data, log) = streams.DurableImages();
            seen.Add((request.Key, outcome, data, log));
        })));

        Assert.Equal(24, seen.Count(item => item.Outcome.IsApproved));
        foreach (var (key, outcome, data, log) in seen)
        {
            using var database = new LiteDatabase(new MemoryStream(data), logStream: new MemoryStream(log));
            var stored = database.GetCollection("idempotency_keys").FindById(key.ToString());
            Assert.True(stored is not null, $"approval {outcome.RetrievalReference} was answered before its batch was durable");
            Assert.Equal(outcome.RetrievalReference, stored["Outcome"]["RetrievalReference"].AsString);
            var account = database.GetCollection("accounts").FindById(stored["AccountId"].AsInt64);
            Assert.True(account["Balance"].AsInt64 <= outcome.LedgerBalance, "the durable balance does not include the debit");
        }
    }
}
