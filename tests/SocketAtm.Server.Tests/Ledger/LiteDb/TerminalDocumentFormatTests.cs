using System.Security.Cryptography;
using LiteDB;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.KeyProtection;
using SocketAtm.Server.Ledger.LiteDb;
using SocketAtm.Server.Ledger.Model;

namespace SocketAtm.Server.Tests.Ledger.LiteDb;

/// <summary>
/// Ledgers written before keys could be pending and journal rows could carry a detail: their documents lack those fields,
/// and read as "nothing pending", "no detail", and take the new fields when next written. No migration is needed.
/// </summary>
public sealed class TerminalDocumentFormatTests : IDisposable
{
    private readonly LiteDatabase _database = new(new MemoryStream());
    private readonly KeyProtector _protector = new(RandomNumberGenerator.GetBytes(KeyProtector.KeyEncryptionKeyLength));

    [Fact]
    public void A_terminal_written_without_pending_keys_reads_with_none_and_takes_pending_keys_when_next_written()
    {
        _database.GetCollection("terminals").Insert(DocumentAsTheLastReleaseWroteIt("ATM00001"));
        var store = new LedgerStore(_database, _protector);

        var terminal = store.FindTerminal("ATM00001")!;
        var newKey = Convert.FromHexString("0123456789ABCDEFFEDCBA9876543210");
        store.UpsertTerminal(terminal.WithPendingKeys(newKey, newKey));
        var reread = new LedgerStore(_database, _protector).FindTerminal("ATM00001")!;

        Assert.Null(terminal.PendingKeys);
        Assert.Equal(DemoData.TerminalPinKey, terminal.PinKey);
        Assert.Equal(DemoData.TerminalPinKey, terminal.PreviousKeys!.PinKey);
        Assert.Equal(4, terminal.KeyVersion);
        Assert.Equal(newKey, reread.PendingKeys!.PinKey);
        Assert.Equal(DemoData.TerminalPinKey, reread.PinKey);
        Assert.Equal(5, reread.KeyVersion);
    }

    [Fact]
    public void A_journal_row_written_without_a_detail_reads_with_none()
    {
        var row = LedgerBson.ToBson(new JournalRecord
        {
            Id = 1,
            AtUnixMilliseconds = 0,
            Key = "00000000000|ATM00001|000001|1125100000",
            Mti = 200,
            Kind = TransactionKind.Withdrawal,
            Disposition = JournalDisposition.Decided,
            TerminalId = "ATM00001",
            ResponseCode = "00",
        });

        Assert.False(row.ContainsKey("Detail")); // a financial row is stored exactly as before
        Assert.Null(LedgerBson.ToJournal(row).Detail);
    }

    /// <summary>The fields the release before pending keys stored for a terminal, and only those.</summary>
    private BsonDocument DocumentAsTheLastReleaseWroteIt(string id) => new()
    {
        ["_id"] = id,
        ["Enabled"] = true,
        ["MasterKey"] = _protector.Protect(DemoData.TerminalMasterKey, KeyProtector.TerminalKeyPurpose(id, "TMK")),
        ["PinKey"] = _protector.Protect(DemoData.TerminalPinKey, KeyProtector.TerminalKeyPurpose(id, "TPK")),
        ["MacKey"] = _protector.Protect(DemoData.TerminalMacKey, KeyProtector.TerminalKeyPurpose(id, "TAK")),
        ["RequiresMac"] = true,
        ["KeyVersion"] = 4L,
        ["PreviousPinKey"] = _protector.Protect(DemoData.TerminalPinKey, KeyProtector.TerminalKeyPurpose(id, "previous TPK")),
        ["PreviousMacKey"] = _protector.Protect(DemoData.TerminalMacKey, KeyProtector.TerminalKeyPurpose(id, "previous TAK")),
        ["PreviousKeysValidUntil"] = 0L,
    };

    public void Dispose()
    {
        _database.Dispose();
        _protector.Dispose();
    }
}
