using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using SocketAtm.IssuerSim.Book;
using SocketAtm.Server.Hosting;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Acquiring;

namespace SocketAtm.Load.Acquiring;

/// <summary>
/// The acquirer's book against the issuer's, once the hosts have stopped: no reversal is still owed upstream
/// (<see cref="IAcquirerLedger.ListOwedMessagesAsync"/>), and for every RRN of either book the acquirer's net
/// (<see cref="IAcquirerLedger.ListAcquirerBookAsync"/>) equals the simulator's (<see cref="IssuerBookLine.NetAmount"/>),
/// an RRN missing from one book counting as 0 there; and both totals are what the terminals saw approved less reversed.
/// </summary>
internal static class BooksComparison
{
    private const int MaxFailures = 50;

    public static async Task<BooksResult> RunAsync(
        LedgerOptions options, StorageOptions storage, IReadOnlyList<IssuerBookLine> issuerBook, long terminalsNet, CancellationToken cancellationToken)
    {
        ILedger ledger;
        try
        {
            ledger = await LedgerFactory.OpenAsync(
                options, storage, TimeProvider.System, onFatal: null, meterFactory: null, NullLoggerFactory.Instance, streams: null, cancellationToken);
        }
        catch (LedgerStartupException exception)
        {
            return new BooksResult { Holds = false, Failures = ["books: the acquirer's ledger does not open: " + exception.Message] };
        }

        await using (ledger)
        {
            if (ledger is not IAcquirerLedger acquirer)
            {
                return new BooksResult { Holds = false, Failures = ["books: this ledger does not acquire for other issuers"] };
            }

            var owed = await acquirer.ListOwedMessagesAsync(InProcessIssuer.Route, int.MaxValue, cancellationToken);
            var book = await acquirer.ListAcquirerBookAsync(InProcessIssuer.Route, cancellationToken);
            return Compare(book, issuerBook, owed.Count, terminalsNet);
        }
    }

    /// <summary>The comparison itself, of books already read.</summary>
    public static BooksResult Compare(IReadOnlyList<AcquirerBookEntry> acquirerBook, IReadOnlyList<IssuerBookLine> issuerBook, int owedReversals, long terminalsNet)
    {
        ArgumentNullException.ThrowIfNull(acquirerBook);
        ArgumentNullException.ThrowIfNull(issuerBook);
        var acquirer = acquirerBook.ToDictionary(entry => entry.RetrievalReference.TrimEnd(), entry => entry.NetAmount, StringComparer.Ordinal);
        var issuer = issuerBook.ToDictionary(line => line.Rrn, line => line.NetAmount, StringComparer.Ordinal);
        var failures = new List<string>();
        if (owedReversals > 0)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"books: {owedReversals} reversals are still owed to the issuer after the drain wait"));
        }

        var rrns = acquirer.Keys.Union(issuer.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var mismatches = 0;
        foreach (var rrn in rrns)
        {
            var ours = acquirer.GetValueOrDefault(rrn);
            var theirs = issuer.GetValueOrDefault(rrn);
            if (ours != theirs)
            {
                mismatches++;
                if (failures.Count < MaxFailures)
                {
                    failures.Add(string.Create(CultureInfo.InvariantCulture, $"books: RRN {rrn}: the acquirer's net is {ours}, the issuer's {theirs}"));
                }
            }
        }

        var acquirerNet = acquirer.Values.Sum();
        var issuerNet = issuer.Values.Sum();
        if (acquirerNet != terminalsNet)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"books: the acquirer's net is {acquirerNet} in all, but the terminals saw {terminalsNet} approved less reversed"));
        }

        return new BooksResult
        {
            Holds = failures.Count == 0,
            RrnsCompared = rrns.Count,
            Mismatches = mismatches,
            AcquirerNet = acquirerNet,
            IssuerNet = issuerNet,
            TerminalsNet = terminalsNet,
            OwedReversals = owedReversals,
            IssuerReversals = issuerBook.Count(line => line.ReversalResponse.Length > 0),
            Failures = failures,
        };
    }
}

/// <summary>What <see cref="BooksComparison"/> found.</summary>
internal sealed record BooksResult
{
    public required bool Holds { get; init; }

    /// <summary>RRNs in either book.</summary>
    public int RrnsCompared { get; init; }

    /// <summary>RRNs whose nets differ.</summary>
    public int Mismatches { get; init; }

    /// <summary>The acquirer's net over all RRNs, in minor units.</summary>
    public long AcquirerNet { get; init; }

    public long IssuerNet { get; init; }

    /// <summary>Approved less reversed, as the terminals saw it.</summary>
    public long TerminalsNet { get; init; }

    /// <summary>Reversals still owed upstream when the hosts had stopped.</summary>
    public int OwedReversals { get; init; }

    /// <summary>RRNs the issuer took a reversal (0420/0421) for.</summary>
    public int IssuerReversals { get; init; }

    public IReadOnlyList<string> Failures { get; init; } = [];
}
