using System.Diagnostics;
using System.Diagnostics.Metrics;
using SocketAtm.Server.Ledger;
using Xunit.Abstractions;

namespace SocketAtm.Server.Tests.Ledger.LiteDb;

/// <summary>
/// Withdrawals through <see cref="LiteDbLedger.ExecuteAsync"/> from many concurrent callers on one card, on real
/// synced files. Prints the rate (see the test output with <c>--logger "console;verbosity=detailed"</c>); asserts
/// only that every withdrawal was approved and the balance is exact.
/// </summary>
public class ThroughputTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(64, 300)]
    [InlineData(512, 40)]
    public async Task Concurrent_withdrawals_on_one_card_are_all_applied_and_the_rate_is_reported(int callers, int withdrawalsEach)
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        long batches = 0;
        long batched = 0;
        double commitMilliseconds = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name is "socketatm.ledger.batch.size" or "socketatm.ledger.commit.duration")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<int>((_, size, _, _) =>
        {
            Interlocked.Increment(ref batches);
            Interlocked.Add(ref batched, size);
        });
        listener.SetMeasurementEventCallback<double>((_, milliseconds, _, _) =>
        {
            lock (listener)
            {
                commitMilliseconds += milliseconds;
            }
        });
        listener.Start();

        var elapsed = Stopwatch.StartNew();
        var approvals = await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            var approved = 0;
            for (var i = 0; i < withdrawalsEach; i++)
            {
                var outcome = await context.ExecuteAsync(context.Withdrawal(DemoCards.Rich, DemoCards.RichPin, 1));
                approved += outcome.IsApproved ? 1 : 0;
            }

            return approved;
        })));
        elapsed.Stop();

        var total = callers * withdrawalsEach;
        Assert.Equal(total, approvals.Sum());
        Assert.Equal(100_000_000 - total, (await context.BalanceOfAsync(DemoCards.Rich)).LedgerBalance);
        output.WriteLine(
            $"{callers} callers: {total} withdrawals in {elapsed.ElapsedMilliseconds} ms = {total / elapsed.Elapsed.TotalSeconds:F0}/s; " +
            $"{Interlocked.Read(ref batches)} group commits of {(double)Interlocked.Read(ref batched) / Math.Max(1, Interlocked.Read(ref batches)):F1} on average, {commitMilliseconds / Math.Max(1, Interlocked.Read(ref batches)):F2} ms each (apply + commit + sync)");
    }
}
