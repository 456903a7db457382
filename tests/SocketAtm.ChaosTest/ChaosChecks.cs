using System.Globalization;
using SocketAtm.CrashTest;
using SocketAtm.IssuerSim.Book;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.ChaosTest;

/// <summary>
/// The five checks of issue 16's chaos proof, on books read after the drain: each difference is one line, prefixed with
/// its check's number. The acquirer's book is held to the issuer's per RRN, not to a total, so that two wrongs cannot
/// cancel out.
/// </summary>
internal static class ChaosChecks
{
    /// <summary>The acquirer id on-us requests carry in their key (the terminals send no DE 32).</summary>
    private const string TerminalAcquirerId = "00000123456";
    private const int MaxLinesPerCheck = 20;

    /// <summary>The journal disposition of a stand-in approval; named, not typed, so the check reads before it exists.</summary>
    private const string StoodIn = "StoodIn";

    public static List<string> Run(ChaosEvidence evidence, ChaosOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var violations = new List<string>();
        Add(violations, 1, NetsPerRrn(evidence));
        Add(violations, 2, ReversalsOfGiveUps(evidence));
        Add(violations, 3, StandIns(evidence, options.StandIn));
        Add(violations, 4, [.. NothingLeftInSaf(evidence, now), .. OnUsBooks(evidence)]);
        if (options.AssertLatency)
        {
            Add(violations, 5, Latency(evidence.Latency, options.P99Tolerance));
        }

        return violations;
    }

    /// <summary>Stand-in approvals the acquirer journaled.</summary>
    public static int StandInApprovals(AcquirerBooksSnapshot books) =>
        books.Journal.Count(row => row.Disposition == StoodIn && row.ResponseCode == ResponseCodes.Approved);

    /// <summary>Check 5's words, asserted or not: the two p99s and the bound.</summary>
    public static string DescribeLatency((double BeforeP99, long BeforeCount, double DuringP99, long DuringCount) latency, double tolerance) =>
        string.Create(CultureInfo.InvariantCulture,
            $"on-us p99 {latency.BeforeP99:0.##} ms before the blackout ({latency.BeforeCount} approvals), {latency.DuringP99:0.##} ms during it ({latency.DuringCount}); bound {latency.BeforeP99 * (1 + tolerance):0.##} ms");

    /// <summary>1. For every RRN of either book the acquirer's net equals the issuer's; both add up to what the terminals saw.</summary>
    private static IEnumerable<string> NetsPerRrn(ChaosEvidence evidence)
    {
        var acquirer = evidence.Acquirer.Book.GroupBy(line => line.Rrn, StringComparer.Ordinal).ToDictionary(group => group.Key, group => group.Sum(line => line.NetAmount), StringComparer.Ordinal);
        var issuer = evidence.IssuerBook.ToDictionary(line => line.Rrn, line => line.NetAmount, StringComparer.Ordinal);
        foreach (var rrn in acquirer.Keys.Union(issuer.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var (ours, theirs) = (acquirer.GetValueOrDefault(rrn), issuer.GetValueOrDefault(rrn));
            if (ours != theirs)
            {
                yield return Invariant($"RRN {rrn}: the acquirer's net is {ours}, the issuer's {theirs}");
            }
        }

        if (acquirer.Values.Sum() != evidence.Terminals.NotOnUsNet)
        {
            yield return Invariant($"the acquirer's net is {acquirer.Values.Sum()} in all, but the terminals saw {evidence.Terminals.NotOnUsNet} approved less reversed");
        }
    }

    /// <summary>
    /// 2. Every forwarded request the host gave up on (and every one a terminal reversed) has exactly one reversal the
    /// issuer accepted: the issuer's book shows its 0430 "00", and the acquirer journaled exactly one acknowledgement.
    /// </summary>
    private static IEnumerable<string> ReversalsOfGiveUps(ChaosEvidence evidence)
    {
        var journal = evidence.Acquirer.Journal.Where(row => row.Rrn is not null && row.UpstreamRoute is not null).ToList();
        var acknowledged = journal.Where(row => row.Disposition == "ReversalAcknowledged").GroupBy(row => row.Rrn!, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Count(), StringComparer.Ordinal);
        var owedReversal = journal.Where(row => row.Disposition == "GivenUp").Select(row => row.Rrn!)
            .Union(acknowledged.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var issuer = evidence.IssuerBook.ToDictionary(line => line.Rrn, StringComparer.Ordinal);
        foreach (var rrn in owedReversal)
        {
            var line = issuer.GetValueOrDefault(rrn);
            if (line?.ReversalResponse != ResponseCodes.Approved)
            {
                yield return $"RRN {rrn}: the host gave up on it or was told to reverse it, but the issuer {(line is null ? "never heard of it" : $"holds reversal response '{line.ReversalResponse}'")}";
            }

            if (acknowledged.GetValueOrDefault(rrn) != 1)
            {
                yield return Invariant($"RRN {rrn}: the acquirer journaled {acknowledged.GetValueOrDefault(rrn)} acknowledged reversals, not one");
            }
        }

        foreach (var line in evidence.IssuerBook.Where(line => line.ReversalResponse == ResponseCodes.Approved && !acknowledged.ContainsKey(line.Rrn)))
        {
            yield return $"RRN {line.Rrn}: the issuer accepted a reversal the acquirer never journaled as acknowledged";
        }
    }

    /// <summary>3. Every stand-in approval is within its limits and has exactly one advice the issuer accepted.</summary>
    private static IEnumerable<string> StandIns(ChaosEvidence evidence, bool standInEnabled)
    {
        var standIns = evidence.Acquirer.Journal.Where(row => row.Disposition == StoodIn && row.ResponseCode == ResponseCodes.Approved).ToList();
        if (standIns.Count > 0 && !standInEnabled)
        {
            yield return Invariant($"{standIns.Count} stand-in approvals with stand-in off");
        }

        var issuer = evidence.IssuerBook.ToDictionary(line => line.Rrn, StringComparer.Ordinal);
        foreach (var row in standIns)
        {
            if (row.Amount > ChaosRoute.StandInMaxAmount)
            {
                yield return Invariant($"RRN {row.Rrn}: stood in for {row.Amount}, over the {ChaosRoute.StandInMaxAmount} limit");
            }

            if (row.Rrn is null || issuer.GetValueOrDefault(row.Rrn) is not { AdviceResponse.Length: > 0 })
            {
                yield return $"RRN {row.Rrn}: stood in, but the issuer booked no advice for it";
            }
        }

        foreach (var day in standIns.GroupBy(row => (row.MaskedPan, Day: DateTimeOffset.FromUnixTimeMilliseconds(row.AtUnixMilliseconds).UtcDateTime.Date)))
        {
            if (day.Sum(row => row.Amount) > ChaosRoute.StandInDailyAmount || day.Count() > ChaosRoute.StandInDailyCount)
            {
                yield return Invariant($"card {day.Key.MaskedPan}: {day.Count()} stand-ins for {day.Sum(row => row.Amount)} on {day.Key.Day:yyyy-MM-dd}, over the daily limits");
            }
        }
    }

    /// <summary>4a. Nothing is left in store-and-forward unless flagged expired.</summary>
    private static IEnumerable<string> NothingLeftInSaf(ChaosEvidence evidence, DateTimeOffset now) =>
        evidence.Acquirer.Saf.Where(line => line.OwedAt >= now - ChaosRoute.SafExpiry).Select(line =>
            Invariant($"RRN {line.Rrn}: still owed in store-and-forward ({line.State}, reason {line.Reason}, {line.Attempts} tries), not expired"));

    /// <summary>4b. On-us books exact, as the crash test holds them: balances, every approval once, the ledger's invariants.</summary>
    private static IEnumerable<string> OnUsBooks(ChaosEvidence evidence)
    {
        if (evidence.Terminals.Unresolved > 0)
        {
            yield return Invariant($"{evidence.Terminals.Unresolved} reversals were abandoned by the terminals, so those withdrawals cannot be accounted for");
        }

        foreach (var (pan, balance) in evidence.Acquirer.Balances)
        {
            var expected = ChaosRun.OpeningBalance - evidence.Terminals.OnUsDebitOf(pan);
            if (balance != expected)
            {
                yield return Invariant($"card ******{pan[^4..]}: balance {balance} but the terminals saw {expected}");
            }
        }

        var decided = evidence.Acquirer.Journal.Where(row => row.Kind == "Withdrawal" && row.ResponseCode == ResponseCodes.Approved && row.Disposition == "Decided")
            .GroupBy(row => row.Key, StringComparer.Ordinal).ToDictionary(group => group.Key, group => group.Count(), StringComparer.Ordinal);
        foreach (var (terminalId, trace) in evidence.Terminals.OnUsApprovals)
        {
            var key = AcquirerBooks.KeyOf(TerminalAcquirerId, terminalId, trace.Stan, trace.TransmissionDateTime);
            if (decided.GetValueOrDefault(key) != 1)
            {
                yield return Invariant($"on-us approval {key} is on the books {decided.GetValueOrDefault(key)} times");
            }
        }

        foreach (var violation in evidence.Acquirer.InvariantViolations)
        {
            yield return "the ledger's invariants: " + violation;
        }
    }

    /// <summary>5. On-us p99 during the blackout within the tolerance of its value before it.</summary>
    private static IEnumerable<string> Latency((double BeforeP99, long BeforeCount, double DuringP99, long DuringCount) latency, double tolerance)
    {
        if (latency.BeforeCount == 0 || latency.DuringCount == 0)
        {
            yield return "no on-us approval was measured before or during the blackout";
        }
        else if (latency.DuringP99 > latency.BeforeP99 * (1 + tolerance))
        {
            yield return DescribeLatency(latency, tolerance) + ": over it";
        }
    }

    private static void Add(List<string> violations, int check, IEnumerable<string> lines)
    {
        var all = lines.ToList();
        violations.AddRange(all.Take(MaxLinesPerCheck).Select(line => $"check {check}: {line}"));
        if (all.Count > MaxLinesPerCheck)
        {
            violations.Add(Invariant($"check {check}: … and {all.Count - MaxLinesPerCheck} more"));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>What the checks look at: the acquirer's books after the drain, the issuer's book, what the terminals saw, latency.</summary>
internal sealed record ChaosEvidence(
    AcquirerBooksSnapshot Acquirer,
    IReadOnlyList<IssuerBookLine> IssuerBook,
    ChaosExpectations Terminals,
    (double BeforeP99, long BeforeCount, double DuringP99, long DuringCount) Latency);
