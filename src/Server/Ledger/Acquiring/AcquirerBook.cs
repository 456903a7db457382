using SocketAtm.Server.Ledger.Model;

namespace SocketAtm.Server.Ledger.Acquiring;

/// <summary>
/// Sums the journal's <see cref="UpstreamEntry"/> amounts into the acquirer's book (<see cref="AcquirerBookEntry"/>): one
/// line per route and RRN on which an approval of a withdrawal was recorded (the issuer's, or a stand-in one), with the net of every row of that RRN.
/// The PostgreSQL ledger does the same in SQL (<see cref="PostgreSql.PostgreSqlForwards"/>).
/// </summary>
internal static class AcquirerBook
{
    public static IReadOnlyList<AcquirerBookEntry> Of(IEnumerable<JournalRecord> upstreamRows)
    {
        ArgumentNullException.ThrowIfNull(upstreamRows);
        var lines = new Dictionary<(string Route, string Reference), (long Net, bool Approved)>();
        foreach (var row in upstreamRows)
        {
            if (row.Upstream is not { } entry)
            {
                continue;
            }

            var line = lines.GetValueOrDefault((entry.Route, entry.RetrievalReference));
            lines[(entry.Route, entry.RetrievalReference)] = (line.Net + entry.Amount, line.Approved || IsApproval(row));
        }

        return [.. lines
            .Where(pair => pair.Value.Approved)
            .OrderBy(pair => pair.Key.Route, StringComparer.Ordinal)
            .ThenBy(pair => pair.Key.Reference, StringComparer.Ordinal)
            .Select(pair => new AcquirerBookEntry(pair.Key.Route, pair.Key.Reference, pair.Value.Net))];
    }

    /// <summary>
    /// True for the row that recorded an approval of a forwarded withdrawal: the issuer's, or the acquirer's own in stand-in
    /// (the issuer owes it as much once the advice is booked).
    /// </summary>
    public static bool IsApproval(JournalRecord row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row is { Disposition: JournalDisposition.IssuerAnswered or JournalDisposition.StoodIn, Kind: TransactionKind.Withdrawal, ResponseCode: ResponseCodes.Approved };
    }
}
