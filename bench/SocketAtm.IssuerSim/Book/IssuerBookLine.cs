using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.IssuerSim.Book;

/// <summary>
/// One RRN of the book as the <c>book</c> command prints it: enough to compare with the acquirer's journal, never a
/// PAN in clear.
/// </summary>
/// <param name="Kind">withdrawal, balance, or reversal-only (the original never came).</param>
/// <param name="Amount">The original's DE 4 in minor units.</param>
/// <param name="NetAmount">What the RRN moved, debited less restored, in minor units.</param>
/// <param name="Response">The original's DE 39 (empty while only the reversal came).</param>
/// <param name="ReversalResponse">The reversal's DE 39, empty when none came.</param>
/// <param name="LastResponse">The last answer given for the RRN.</param>
public sealed record IssuerBookLine(
    string AcquirerId, string Rrn, string MaskedPan, string Kind, long Amount, long NetAmount, string Response, string ReversalResponse, string LastResponse)
{
    internal static IssuerBookLine From(BookEntry entry) => new(
        entry.AcquirerId,
        entry.Rrn.TrimEnd(),
        entry.MaskedPan,
        entry.Response is null ? "reversal-only" : entry.TransactionType == TransactionTypes.CashWithdrawal ? "withdrawal" : "balance",
        entry.Amount,
        entry.Net,
        entry.Response ?? string.Empty,
        entry.ReversalResponse ?? string.Empty,
        entry.LastResponse);
}
