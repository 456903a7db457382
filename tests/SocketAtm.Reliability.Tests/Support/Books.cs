using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.LiteDb;
using SocketAtm.Server.Ledger.Model;

namespace SocketAtm.Reliability.Tests.Support;

/// <summary>Reads the ledger a stopped host left behind, to check that the books are exact.</summary>
internal static class Books
{
    /// <summary>The card's ledger balance and whether the invariants hold, read from the host's data directory.</summary>
    public static async Task<(long Balance, InvariantReport Invariants)> ReadAsync(string dataDirectory, string pan)
    {
        await using var ledger = await LiteDbLedger.OpenAsync(new LedgerOptions { DataDirectory = dataDirectory, SeedDemoData = false }, TimeProvider.System);
        var balance = await ledger.GetCardBalanceAsync(pan, CancellationToken.None) ?? throw new InvalidOperationException("Card not on file.");
        return (balance.LedgerBalance, await ledger.VerifyInvariantsAsync(CancellationToken.None));
    }

    /// <summary>Requests of a kind that the ledger decided (not replays, not duplicates) with a response code, for a terminal.</summary>
    public static async Task<int> CountDecidedAsync(string dataDirectory, string terminalId, TransactionKind kind, string responseCode) =>
        (await JournalAsync(dataDirectory, terminalId)).Count(row => row.Kind == kind && row.ResponseCode == responseCode && row.Disposition == JournalDisposition.Decided);

    /// <summary>Rows of a terminal answered as duplicates (94, nothing applied).</summary>
    public static async Task<int> CountDuplicatesAsync(string dataDirectory, string terminalId) =>
        (await JournalAsync(dataDirectory, terminalId)).Count(row => row.Disposition == JournalDisposition.Duplicate);

    /// <summary>Rows of a terminal with a disposition and response code.</summary>
    public static async Task<int> CountWithAsync(string dataDirectory, string terminalId, JournalDisposition disposition, string responseCode) =>
        (await JournalAsync(dataDirectory, terminalId)).Count(row => row.Disposition == disposition && row.ResponseCode == responseCode);

    private static async Task<IReadOnlyList<JournalRecord>> JournalAsync(string dataDirectory, string terminalId)
    {
        await using var ledger = await LiteDbLedger.OpenAsync(new LedgerOptions { DataDirectory = dataDirectory, SeedDemoData = false }, TimeProvider.System);
        return await ledger.ListJournalForTerminalAsync(terminalId, 100_000, CancellationToken.None);
    }
}
