using SocketAtm.IssuerSim.Book;
using SocketAtm.Load.Acquiring;
using SocketAtm.Server.Ledger.Acquiring;

namespace SocketAtm.Load.Tests;

/// <summary>
/// The books comparison of a not-on-us run: per RRN the acquirer's net equals the issuer's, an RRN missing from one book
/// counting as 0 there; nothing may still be owed upstream; and the total is what the terminals saw.
/// </summary>
public sealed class BooksComparisonTests
{
    [Fact]
    public void Books_that_agree_per_RRN_hold_and_an_RRN_the_issuer_declined_counts_as_0_at_the_acquirer()
    {
        var result = BooksComparison.Compare(
            [Acquirer("000000000001", 2_000), Acquirer("000000000002", 1_000)],
            [Issuer("000000000001", 2_000), Issuer("000000000002", 1_000), Issuer("000000000003", 0, response: "51")],
            owedReversals: 0,
            terminalsNet: 3_000);

        Assert.True(result.Holds, string.Join(Environment.NewLine, result.Failures));
        Assert.Equal((3, 0, 3_000L, 3_000L), (result.RrnsCompared, result.Mismatches, result.AcquirerNet, result.IssuerNet));
    }

    [Fact]
    public void An_RRN_whose_nets_differ_or_that_one_book_lacks_fails_and_is_named()
    {
        var result = BooksComparison.Compare(
            [Acquirer("000000000001", 2_000), Acquirer("000000000002", 2_000)],
            [Issuer("000000000001", 1_000), Issuer("000000000003", 2_000)],
            owedReversals: 0,
            terminalsNet: 4_000);

        Assert.False(result.Holds);
        Assert.Equal(3, result.Mismatches);
        Assert.Contains("books: RRN 000000000001: the acquirer's net is 2000, the issuer's 1000", result.Failures);
        Assert.Contains("books: RRN 000000000002: the acquirer's net is 2000, the issuer's 0", result.Failures);
        Assert.Contains("books: RRN 000000000003: the acquirer's net is 0, the issuer's 2000", result.Failures);
    }

    [Fact]
    public void A_reversal_still_owed_or_a_total_other_than_the_terminals_saw_fails()
    {
        var owed = BooksComparison.Compare([Acquirer("000000000001", 2_000)], [Issuer("000000000001", 2_000)], owedReversals: 1, terminalsNet: 2_000);
        var total = BooksComparison.Compare([Acquirer("000000000001", 2_000)], [Issuer("000000000001", 2_000)], owedReversals: 0, terminalsNet: 0);

        Assert.False(owed.Holds);
        Assert.Contains("books: 1 reversals are still owed to the issuer after the drain wait", owed.Failures);
        Assert.False(total.Holds);
        Assert.Contains("books: the acquirer's net is 2000 in all, but the terminals saw 0 approved less reversed", total.Failures);
    }

    private static AcquirerBookEntry Acquirer(string rrn, long net) => new(InProcessIssuer.Route, rrn, net);

    private static IssuerBookLine Issuer(string rrn, long net, string response = "00") =>
        new(InProcessIssuer.AcquirerId, rrn, "541333******0019", "withdrawal", 2_000, net, response, string.Empty, response);
}
