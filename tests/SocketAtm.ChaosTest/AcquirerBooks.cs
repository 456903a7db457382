using Microsoft.Extensions.Logging.Abstractions;
using SocketAtm.Server.Hosting;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Acquiring;
using SocketAtm.Server.Upstream;

namespace SocketAtm.ChaosTest;

/// <summary>
/// The acquirer's side of a stopped host's books, copied out of the ledger into plain records for the chaos checks: read
/// through the ledger's own contract (the host's internals are visible to this tool), never by reaching into storage.
/// </summary>
internal static class AcquirerBooks
{
    /// <summary>Reads the books of the host whose data directory is <paramref name="dataDirectory"/> (on PostgreSQL: the database named).</summary>
    /// <param name="connectionString">The PostgreSQL database the hosts share, or null for the host's LiteDB files.</param>
    /// <param name="keyEncryptionKey">The hosts' KEK on PostgreSQL (LiteDB keeps its own in the data directory).</param>
    /// <param name="terminalIds">Every terminal that sent requests: the journal is read per terminal.</param>
    /// <param name="onUsPans">The on-us cards whose balances are read.</param>
    public static async Task<AcquirerBooksSnapshot> ReadAsync(
        string dataDirectory, string? connectionString, string? keyEncryptionKey, IEnumerable<string> terminalIds, IEnumerable<string> onUsPans, CancellationToken cancellationToken)
    {
        await using var ledger = await LedgerFactory.OpenAsync(
            new LedgerOptions { DataDirectory = dataDirectory, SeedDemoData = false, KeyEncryptionKey = keyEncryptionKey },
            new StorageOptions { Provider = connectionString is null ? StorageProvider.LiteDb : StorageProvider.PostgreSql, ConnectionString = connectionString },
            TimeProvider.System,
            onFatal: null,
            meterFactory: null,
            NullLoggerFactory.Instance,
            streams: null,
            cancellationToken);
        var admin = (ILedgerAdmin)ledger;
        var acquirer = (IAcquirerLedger)ledger;
        var book = (await acquirer.ListAcquirerBookAsync(null, cancellationToken))
            .Select(entry => new AcquirerBookLine(entry.Route, entry.RetrievalReference.TrimEnd(), entry.NetAmount))
            .ToList();
        var saf = (await acquirer.ListSafAsync(null, int.MaxValue, cancellationToken))
            .Select(entry => new SafLine(entry.Route, entry.RetrievalReference.TrimEnd(), entry.State.ToString(), entry.Reason, entry.OwedAt, entry.Saf.Attempts))
            .ToList();
        var journal = new List<AcquirerJournalRow>();
        foreach (var terminalId in terminalIds)
        {
            journal.AddRange((await admin.ListJournalForTerminalAsync(terminalId, int.MaxValue, cancellationToken)).Select(row => new AcquirerJournalRow(
                row.Key, row.TerminalId, row.Mti, row.Kind.ToString(), row.Disposition.ToString(), row.MaskedPan, row.Amount, row.Delta, row.ResponseCode,
                row.RetrievalReference?.TrimEnd(), row.Upstream?.Route, row.Upstream?.Amount, row.AtUnixMilliseconds)));
        }

        var balances = new Dictionary<string, long?>(StringComparer.Ordinal);
        foreach (var pan in onUsPans)
        {
            balances[pan] = (await admin.GetCardBalanceAsync(pan, cancellationToken))?.LedgerBalance;
        }

        var invariants = await admin.VerifyInvariantsAsync(cancellationToken);
        return new AcquirerBooksSnapshot(book, journal, saf, balances, invariants.Violations);
    }

    /// <summary>The idempotency key text the journal stores a terminal's request under (<see cref="RequestKey"/>).</summary>
    public static string KeyOf(string acquirerId, string terminalId, int stan, string transmissionDateTime) =>
        new RequestKey(acquirerId, terminalId, stan, transmissionDateTime).ToString();

    /// <summary>The PANs <c>admin add-cards --prefix <paramref name="prefix"/> --count <paramref name="count"/></c> provisions.</summary>
    public static IReadOnlyList<string> GeneratedPans(string prefix, int count) => Server.Admin.GeneratedCardNumbers.Create(prefix, count);

    /// <summary>Connections of <paramref name="route"/> signed on, as the running host's link status file last said (0 when unknown).</summary>
    public static int SignedOn(string dataDirectory, string route) =>
        LinkStatusFile.TryRead(LinkStatusFile.PathIn(dataDirectory)) is { Running: true } status
            ? status.Routes.FirstOrDefault(line => line.Route == route)?.SignedOn ?? 0
            : 0;

    /// <summary>How many times <paramref name="route"/>'s breaker opened since the running host started, as its link status file last said.</summary>
    public static long BreakerOpens(string dataDirectory, string route) =>
        LinkStatusFile.TryRead(LinkStatusFile.PathIn(dataDirectory)) is { } status
            ? status.Routes.FirstOrDefault(line => line.Route == route)?.BreakerOpens ?? 0
            : 0;
}

/// <summary>What <see cref="AcquirerBooks.ReadAsync"/> read: the acquirer's book per RRN, its journal, its store-and-forward queue, on-us balances and the ledger's own invariant check.</summary>
internal sealed record AcquirerBooksSnapshot(
    IReadOnlyList<AcquirerBookLine> Book,
    IReadOnlyList<AcquirerJournalRow> Journal,
    IReadOnlyList<SafLine> Saf,
    IReadOnlyDictionary<string, long?> Balances,
    IReadOnlyList<string> InvariantViolations);

/// <summary>One RRN of the acquirer's book: what the issuer of <paramref name="Route"/> owes for it, in minor units.</summary>
internal sealed record AcquirerBookLine(string Route, string Rrn, long NetAmount);

/// <summary>One journal row, its disposition and kind by name (a disposition added later still reads).</summary>
internal sealed record AcquirerJournalRow(
    string Key, string TerminalId, int Mti, string Kind, string Disposition, string MaskedPan, long Amount, long Delta, string ResponseCode,
    string? Rrn, string? UpstreamRoute, long? UpstreamAmount, long AtUnixMilliseconds);

/// <summary>One message still owed in store-and-forward: queued or an exception, since <paramref name="OwedAt"/>.</summary>
internal sealed record SafLine(string Route, string Rrn, string State, string Reason, DateTimeOffset OwedAt, int Attempts);
