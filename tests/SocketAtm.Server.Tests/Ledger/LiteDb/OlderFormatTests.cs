using LiteDB;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.LiteDb;

namespace SocketAtm.Server.Tests.Ledger.LiteDb;

/// <summary>
/// A ledger written by a host from before reversals were matched to their originals (format 1: no PAN digest or DE 4 in
/// stored answers, none in markers) is brought to the current format when it opens, and its reversals are matched.
/// </summary>
public sealed class OlderFormatTests
{
    [Fact]
    public async Task Stored_answers_of_a_format_1_ledger_get_their_amount_and_pan_digest_at_open_and_its_markers_refuse_any_original()
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        var approvedKey = context.NextKey();
        var declinedKey = context.NextKey();
        var markedKey = context.NextKey();
        await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 20_000, approvedKey));
        await context.ExecuteAsync(context.Withdrawal(DemoCards.Poor, DemoCards.PoorPin, 9_000, declinedKey));
        await context.ExecuteAsync(context.Reversal(markedKey, 2_000, pan: DemoCards.Poor));
        await context.CloseAsync();
        using (var database = new LiteDatabase($"Filename={context.Options.DataFilePath}"))
        {
            WriteAsFormat1(database);
        }

        await context.OpenAsync();

        var otherCard = await context.ExecuteAsync(context.Reversal(approvedKey, 20_000, pan: DemoCards.Poor));
        var otherAmount = await context.ExecuteAsync(context.Reversal(declinedKey, 1_000, pan: DemoCards.Poor));
        var ofTheDeclined = await context.ExecuteAsync(context.Reversal(declinedKey, 9_000, pan: DemoCards.Poor));
        var genuine = await context.ExecuteAsync(context.Reversal(approvedKey, 20_000));
        var lateOriginal = await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, markedKey));

        Assert.Equal(ResponseCodes.UnableToLocateOriginal, otherCard.ResponseCode);
        Assert.Equal(ResponseCodes.OriginalAmountIncorrect, otherAmount.ResponseCode);
        Assert.Equal(ResponseCodes.Approved, ofTheDeclined.ResponseCode); // its DE 4 came from its journal row
        Assert.Equal(ResponseCodes.Approved, genuine.ResponseCode);
        Assert.Equal(ResponseCodes.DuplicateTransmission, lateOriginal.ResponseCode); // the old marker knows no PAN: it refuses any
        Assert.Equal(100_000, (await context.BalanceOfAsync(DemoCards.Active)).LedgerBalance);
        Assert.True((await context.Ledger.VerifyInvariantsAsync(CancellationToken.None)).Holds);
        await context.CloseAsync();
        using (var database = new LiteDatabase($"Filename={context.Options.DataFilePath}"))
        {
            Assert.Equal(LedgerFormat.Current, LedgerFormat.VersionOf(database));
            var approved = database.GetCollection("idempotency_keys").FindById(approvedKey.ToString());
            Assert.Equal(20_000, approved["Amount"].AsInt64);
            Assert.Equal(database.GetCollection("cards").FindById(approved["CardId"])["PanDigest"], approved["PanDigest"]);
            Assert.Equal(9_000, database.GetCollection("idempotency_keys").FindById(declinedKey.ToString())["Amount"].AsInt64);
            var declined = database.GetCollection("idempotency_keys").FindById(declinedKey.ToString());
            Assert.Equal(database.GetCollection("journal").FindById(declined["JournalId"])["At"], declined["At"]);
        }
    }

    /// <summary>What a host of format 1 stored: the same documents without the fields later formats added, and no version.</summary>
    internal static void WriteAsFormat1(LiteDatabase database)
    {
        var idempotency = database.GetCollection("idempotency_keys");
        foreach (var record in idempotency.FindAll().ToList())
        {
            record.Remove("PanDigest");
            record.Remove("Amount");
            record.Remove("At");
            idempotency.Update(record);
        }

        var markers = database.GetCollection("reversal_markers");
        foreach (var marker in markers.FindAll().ToList())
        {
            marker.Remove("PanDigest");
            marker.Remove("Amount");
            markers.Update(marker);
        }

        var cards = database.GetCollection("cards");
        foreach (var card in cards.FindAll().ToList())
        {
            card.Remove("ServiceCode");
            cards.Update(card);
        }

        database.GetCollection("host_keys").Delete("CVK");
        Assert.True(database.GetCollection("counters").Delete("format"));
    }
}
