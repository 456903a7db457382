using System.Globalization;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Sessions;

namespace SocketAtm.Server.Handlers;

/// <summary>
/// The journal rows of key management, as ledger requests the writer only journals: who (the terminal and the request's
/// key), when, and the KCVs of the keys — never the keys.
/// </summary>
internal static class KeyEvents
{
    /// <summary>A <see cref="JournalDisposition.KeysIssued"/> or <see cref="JournalDisposition.KeysPromoted"/> row for the request in <paramref name="context"/>.</summary>
    public static LedgerRequest Journal(
        MessageContext context, TerminalRecord terminal, JournalDisposition disposition, string pinKeyCheck, string macKeyCheck, TimeProvider time) => new()
    {
        Kind = TransactionKind.KeyExchange,
        Key = RequestFields.Key(context.Request, terminal.TerminalId),
        Mti = context.Request.Mti,
        Pan = string.Empty,
        KeyEvent = disposition,
        Detail = Detail(pinKeyCheck, macKeyCheck),
        ReceivedAt = time.GetUtcNow(),
    };

    /// <summary>The journal's detail of a key event: "TPK KCV xxxxxx, TAK KCV yyyyyy".</summary>
    public static string Detail(string pinKeyCheck, string macKeyCheck) =>
        string.Create(CultureInfo.InvariantCulture, $"TPK KCV {pinKeyCheck}, TAK KCV {macKeyCheck}");
}
