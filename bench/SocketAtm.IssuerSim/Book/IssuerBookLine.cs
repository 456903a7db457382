using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.IssuerSim.Book;

/// <summary>
/// One RRN of the book as the <c>book</c> command prints it: enough to compare with the acquirer's journal, never a
/// PAN in clear.
/// </summary>
/// <param name="Kind">
/// withdrawal, balance, reversal-only (the original never came), or stand-in (no original came, a stand-in advice
/// 0220/0221 was booked in its place).
/// </param>
/// <param name="Amount">The original's (or the advice's) DE 4 in minor units.</param>
/// <param name="NetAmount">What the RRN moved, debited less restored, in minor units.</param>
/// <param name="Response">The original 0100/0200's DE 39 (empty when none came).</param>
/// <param name="ReversalResponse">The reversal's DE 39, empty when none came.</param>
/// <param name="LastResponse">The answer that settles the RRN: the reversal's, else the advice's, else the original's.</param>
/// <param name="AdviceResponse">
/// The DE 39 of the 0230 that booked a stand-in advice for the RRN (00, or the code the issuer would have declined with),
/// empty when no advice was booked: a non-empty one is exactly one advice accepted, its amount in <paramref name="NetAmount"/>.
/// </param>
public sealed record IssuerBookLine(
    string AcquirerId,
    string Rrn,
    string MaskedPan,
    string Kind,
    long Amount,
    long NetAmount,
    string Response,
    string ReversalResponse,
    string LastResponse,
    string AdviceResponse = "")
{
    /// <summary>The <see cref="Kind"/> of an RRN whose withdrawal only a stand-in advice booked.</summary>
    public const string StandInKind = "stand-in";

    internal static IssuerBookLine From(BookEntry entry) => new(
        entry.AcquirerId,
        entry.Rrn.TrimEnd(),
        entry.MaskedPan,
        KindOf(entry),
        entry.Amount,
        entry.Net,
        entry.Response ?? string.Empty,
        entry.ReversalResponse ?? string.Empty,
        entry.LastResponse,
        entry.AdviceResponse ?? string.Empty);

    private static string KindOf(BookEntry entry) => entry.Response is not null
        ? entry.TransactionType == TransactionTypes.CashWithdrawal ? "withdrawal" : "balance"
        : entry.AdviceResponse is not null ? StandInKind : "reversal-only";
}
