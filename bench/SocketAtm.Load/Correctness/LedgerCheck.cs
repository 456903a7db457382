using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using SocketAtm.Server.Hosting;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Model;

namespace SocketAtm.Load.Correctness;

/// <summary>
/// Opens the stopped hosts' ledger — the LiteDB files of the one host, or the PostgreSQL database of all of them, through
/// the same factory the host uses — and holds it to what the terminals saw: the ledger opens (its own invariant check
/// passes), <c>verify</c> holds, every card's balance is its opening balance minus approved withdrawals plus reversed
/// amounts, every key the host must have decided is decided exactly once (no key ever twice), and every repeat and
/// duplicate the terminals sent is journaled as such. Everything after the open goes through <see cref="ILedgerAdmin"/>,
/// so both ledgers are held to the same check.
/// </summary>
internal static class LedgerCheck
{
    private const int MaxFailures = 50;

    public static async Task<CorrectnessVerdict> RunAsync(
        LedgerOptions options,
        StorageOptions storage,
        Fleet.Fleet fleet,
        ExpectedLedger expected,
        (DateTimeOffset From, DateTimeOffset Until) measuredWindow,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var method = storage.Provider == StorageProvider.PostgreSql ? "the PostgreSQL ledger" : "ledger files";
        ILedger ledger;
        try
        {
            ledger = await LedgerFactory.OpenAsync(
                options, storage, TimeProvider.System, onFatal: null, meterFactory: null, NullLoggerFactory.Instance, streams: null, cancellationToken);
        }
        catch (LedgerStartupException exception)
        {
            return new CorrectnessVerdict { Holds = false, Method = method, Failures = [exception.Message] };
        }

        await using (ledger)
        {
            var verdict = await CheckAsync((ILedgerAdmin)ledger, fleet, expected, measuredWindow, cancellationToken);
            return verdict with { Method = $"{method} (balances, verify, journal)" };
        }
    }

    /// <summary>The check itself, over whichever ledger is open.</summary>
    public static async Task<CorrectnessVerdict> CheckAsync(
        ILedgerAdmin ledger,
        Fleet.Fleet fleet,
        ExpectedLedger expected,
        (DateTimeOffset From, DateTimeOffset Until) measuredWindow,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(expected);
        var failures = new List<string>();
        var invariants = await ledger.VerifyInvariantsAsync(cancellationToken);
        failures.AddRange(invariants.Violations.Select(violation => "verify: " + violation));

        long approvedTotal = 0;
        long reversedTotal = 0;
        for (var card = 0; card < fleet.Pans.Count; card++)
        {
            var balance = await ledger.GetCardBalanceAsync(fleet.Pans[card], cancellationToken);
            var want = expected.ExpectedBalance(card, fleet.OpeningBalance);
            approvedTotal += expected.ApprovedOf(card);
            reversedTotal += expected.ReversedOf(card);
            if (balance is null)
            {
                Fail(failures, $"card #{card} is not on file");
            }
            else if (balance.LedgerBalance != want)
            {
                Fail(failures, $"card #{card} ({balance.MaskedPan}) holds {balance.LedgerBalance} but opening {fleet.OpeningBalance} - approved {expected.ApprovedOf(card)} + reversed {expected.ReversedOf(card)} = {want}");
            }
        }

        var rows = new List<JournalRecord>();
        foreach (var terminal in fleet.TerminalIds)
        {
            rows.AddRange(await ledger.ListJournalForTerminalAsync(terminal, int.MaxValue, cancellationToken));
        }

        CheckKeys(rows, expected, failures);
        if (expected.Unresolved > 0)
        {
            Fail(failures, $"{expected.Unresolved} reversals were never acknowledged: their withdrawals' outcome is unknown");
        }

        var from = measuredWindow.From.ToUnixTimeMilliseconds();
        var until = measuredWindow.Until.ToUnixTimeMilliseconds();
        return new CorrectnessVerdict
        {
            Holds = failures.Count == 0,
            Method = "balances, verify, journal",
            CardsChecked = fleet.Pans.Count,
            JournalRows = invariants.JournalRows,
            KeysChecked = expected.Keys.Count,
            ApprovedAmount = approvedTotal,
            ReversedAmount = reversedTotal,
            Failures = failures,
            Batches = BatchSizes.FromRows(rows
                .Where(row => row.AtUnixMilliseconds >= from && row.AtUnixMilliseconds <= until)
                .Select(row => (row.Id, row.AtUnixMilliseconds))),
        };
    }

    private static void CheckKeys(List<JournalRecord> rows, ExpectedLedger expected, List<string> failures)
    {
        var journaled = new Dictionary<string, (int Decided, int Replays, int Duplicates)>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var counts = journaled.GetValueOrDefault(row.Key);
            journaled[row.Key] = row.Disposition switch
            {
                JournalDisposition.Decided => counts with { Decided = counts.Decided + 1 },
                JournalDisposition.Replay => counts with { Replays = counts.Replays + 1 },
                JournalDisposition.Duplicate => counts with { Duplicates = counts.Duplicates + 1 },
                _ => counts,
            };
        }

        foreach (var (key, counts) in journaled)
        {
            if (counts.Decided > 1)
            {
                Fail(failures, $"key {key} is decided {counts.Decided} times");
            }
        }

        foreach (var (key, want) in expected.Keys)
        {
            var seen = journaled.GetValueOrDefault(key);
            if (want.Decided && seen.Decided != 1)
            {
                Fail(failures, $"key {key} was answered as decided but is journaled as decided {seen.Decided} times");
            }

            if (seen.Replays < want.Replays || seen.Duplicates < want.Duplicates)
            {
                Fail(failures, string.Create(CultureInfo.InvariantCulture,
                    $"key {key}: {want.Replays} repeats and {want.Duplicates} duplicates answered, {seen.Replays} and {seen.Duplicates} journaled"));
            }
        }
    }

    private static void Fail(List<string> failures, string failure)
    {
        if (failures.Count < MaxFailures)
        {
            failures.Add(failure);
        }
    }
}
