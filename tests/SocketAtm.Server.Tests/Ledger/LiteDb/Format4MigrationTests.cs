using LiteDB;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Acquiring;
using SocketAtm.Server.Ledger.LiteDb;

namespace SocketAtm.Server.Tests.Ledger.LiteDb;

/// <summary>
/// A ledger written by a host from before it acquired for other issuers (format 4: stored answers without <c>Held</c>) is
/// brought to format 5 when it opens: its answers say they are not held, so pruning still deletes them after the retention
/// (pruning deletes only answers that say so, never a pending forward or an owed reversal), and it can forward at once.
/// </summary>
public sealed class Format4MigrationTests
{
    [Fact]
    public async Task Stored_answers_of_a_format_4_ledger_are_marked_not_held_at_open_and_pruned_after_the_retention()
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        var key = context.NextKey();
        var original = await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key));
        await context.CloseAsync();
        WriteAsFormat4(context.Options.DataFilePath);

        await context.OpenAsync();
        var repeat = await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key, mti: 201));
        var forwarded = await context.ExecuteAsync(
            context.Withdrawal("5413330000000019", "1234", 1_000) with { Upstream = new ForwardingIntent("demo-issuer", 1, "0315100000") });
        context.Time.Advance(context.Options.RepeatRetention + TimeSpan.FromMinutes(1));
        await context.Ledger.PruneExpiredRepeatsAsync(CancellationToken.None);
        Assert.True((await context.Ledger.VerifyInvariantsAsync(CancellationToken.None)).Holds);
        await context.CloseAsync();

        Assert.Equal(original with { IsReplay = true }, repeat);
        Assert.Equal(ForwardingStatus.Forward, forwarded.Forwarding);
        using var database = new LiteDatabase($"Filename={context.Options.DataFilePath}");
        Assert.Equal(LedgerFormat.Current, LedgerFormat.VersionOf(database));
        // The migrated answer is pruned; the pending forward is held.
        var left = Assert.Single(database.GetCollection("idempotency_keys").FindAll());
        Assert.True(left["Held"].AsBoolean);
    }

    /// <summary>What a host of format 4 stored: answers without <c>Held</c>.</summary>
    private static void WriteAsFormat4(string dataFile)
    {
        using var database = new LiteDatabase($"Filename={dataFile}");
        var answers = database.GetCollection("idempotency_keys");
        foreach (var answer in answers.FindAll().ToList())
        {
            Assert.True(answer.Remove("Held"));
            answers.Update(answer);
        }

        database.GetCollection("counters").Upsert(new BsonDocument { ["_id"] = "format", ["Version"] = 4 });
    }
}
