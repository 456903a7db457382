using LiteDB;
using Microsoft.Extensions.Logging;
using SocketAtm.Protocol.Security;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.LiteDb;
using SocketAtm.Server.Tests.Transport;

namespace SocketAtm.Server.Tests.Ledger.LiteDb;

/// <summary>
/// A ledger written by a host from before track 2 was verified (format 3: cards without a service code, no CVK) is brought
/// to the current format when it opens: its cards get service code 101, and it gets a CVK — the demo one when its PVK is
/// the demo PVK, else a random one, logged — so that no track 2 is ever accepted unverified.
/// </summary>
public sealed class Format3MigrationTests
{
    private static readonly Track2Evidence DemoCardTrack = new(PanMatches: true, CvvVerified: true, Expiry: 2812, ServiceCode: 101);

    [Fact]
    public async Task A_format_3_demo_ledger_gets_service_code_101_on_its_cards_and_the_demo_CVK()
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        await context.CloseAsync();
        WriteAsFormat3(context.Options.DataFilePath);
        using var logs = new RecordingLoggerProvider();

        await using (var ledger = await LiteDbLedger.OpenAsync(context.Options, context.Time, logger: logs.CreateFactory().CreateLogger("ledger")))
        {
            Assert.Equal(DemoKeys.CardVerificationKey, (await ledger.GetCardVerificationKeyAsync(CancellationToken.None)).Key);
            var genuine = await ledger.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000) with { Track2 = DemoCardTrack }, CancellationToken.None);
            var otherServiceCode = await ledger.ExecuteAsync(
                context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000) with { Track2 = DemoCardTrack with { ServiceCode = 201 } }, CancellationToken.None);
            Assert.Equal(ResponseCodes.Approved, genuine.ResponseCode);
            Assert.Equal(ResponseCodes.SuspectedFraud, otherServiceCode.ResponseCode);
            Assert.True((await ledger.VerifyInvariantsAsync(CancellationToken.None)).Holds);
        }

        Assert.Equal(1, logs.CountOf(3021));
        Assert.Equal(0, logs.CountOf(3020));
        using var database = new LiteDatabase($"Filename={context.Options.DataFilePath}");
        Assert.Equal(LedgerFormat.Current, LedgerFormat.VersionOf(database));
        Assert.All(database.GetCollection("cards").FindAll(), card => Assert.Equal("101", card["ServiceCode"].AsString));
    }

    [Fact]
    public async Task A_format_3_ledger_of_an_operator_gets_a_random_CVK_logged_with_its_KCV_and_keeps_it()
    {
        await using var context = new LedgerTestContext(options => options.SeedDemoData = false);
        await context.OpenAsync();
        await context.Ledger.AddCardsAsync([new CardRegistration { Pan = "4000001234567899", Pin = "9999", Expiry = "3012", OpeningBalance = 10_000 }], CancellationToken.None);
        await context.CloseAsync();
        WriteAsFormat3(context.Options.DataFilePath);
        using var logs = new RecordingLoggerProvider();

        byte[] generated;
        await using (var ledger = await LiteDbLedger.OpenAsync(context.Options, context.Time, logger: logs.CreateFactory().CreateLogger("ledger")))
        {
            generated = (await ledger.GetCardVerificationKeyAsync(CancellationToken.None)).Key;
            Assert.False(DemoData.IsDemoCardVerificationKey(new(generated)));
            var track = new Track2Evidence(PanMatches: true, CvvVerified: true, Expiry: 3012, ServiceCode: 101);
            // Service code 101 on file now: a track with 101 passes to the PIN (wrong here: the test cannot know the random PVK), one with 201 is refused.
            var passes = await ledger.ExecuteAsync(context.Withdrawal("4000001234567899", "9999", 1_000) with { Track2 = track }, CancellationToken.None);
            var refused = await ledger.ExecuteAsync(context.Withdrawal("4000001234567899", "9999", 1_000) with { Track2 = track with { ServiceCode = 201 } }, CancellationToken.None);
            Assert.Equal(ResponseCodes.IncorrectPin, passes.ResponseCode);
            Assert.Equal(ResponseCodes.SuspectedFraud, refused.ResponseCode);
        }

        Assert.Equal(1, logs.CountOf(3020));
        Assert.Contains(logs.Recent, line => line.StartsWith("Warning 3020:", StringComparison.Ordinal) && line.Contains(KeyCheckValue.ToHex(generated), StringComparison.Ordinal));
        logs.Reset();
        await using (var reopened = await LiteDbLedger.OpenAsync(context.Options, context.Time, logger: logs.CreateFactory().CreateLogger("ledger")))
        {
            Assert.Equal(generated, (await reopened.GetCardVerificationKeyAsync(CancellationToken.None)).Key);
        }

        Assert.Equal(0, logs.CountOf(3020));
    }

    /// <summary>What a host of format 3 stored: cards without a service code, no CVK among the host keys.</summary>
    internal static void WriteAsFormat3(string dataFile)
    {
        using var database = new LiteDatabase($"Filename={dataFile}");
        var cards = database.GetCollection("cards");
        foreach (var card in cards.FindAll().ToList())
        {
            Assert.True(card.Remove("ServiceCode"));
            cards.Update(card);
        }

        Assert.True(database.GetCollection("host_keys").Delete("CVK"));
        database.GetCollection("counters").Upsert(new BsonDocument { ["_id"] = "format", ["Version"] = 3 });
    }
}
