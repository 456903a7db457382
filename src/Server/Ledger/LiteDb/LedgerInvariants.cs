using System.Globalization;
using SocketAtm.Server.Ledger.Model;

namespace SocketAtm.Server.Ledger.LiteDb;

/// <summary>
/// The ledger's invariants: every account's balance is its opening balance plus the journal's deltas for it, no
/// idempotency key was decided (applied) twice, and decided journal rows and stored outcomes match one to one — a
/// decision without its stored answer would let a repeat or a reversal act as if it never happened. Checked at
/// every open and on demand.
/// </summary>
/// <remarks>
/// Stored answers live for <see cref="LedgerOptions.RepeatRetention"/> (<see cref="RepeatPruning"/>): a decision older
/// than that may have lost its answer, and its key may have been decided again since. <see cref="RetentionMargin"/> of
/// the retention is left unchecked, for clocks (of several hosts) that differ.
/// </remarks>
internal static class LedgerInvariants
{
    /// <summary>How far short of the retention a decision must be to be held to its stored answer.</summary>
    public static readonly TimeSpan RetentionMargin = TimeSpan.FromHours(1);

    private const int MaxReportedViolations = 100;

    public static InvariantReport Check(LedgerStore store, DateTimeOffset now, TimeSpan retention)
    {
        ArgumentNullException.ThrowIfNull(store);
        var violations = new List<string>();
        var deltas = new Dictionary<long, long>();
        var heldFrom = (now - retention + RetentionMargin).ToUnixTimeMilliseconds();
        var retentionMs = (long)(retention - RetentionMargin).TotalMilliseconds;
        // Decided key → its latest journal row; keys are taken out as their stored outcomes are found, so what is left at
        // the end is a decision whose stored answer is missing (one set, not two, on a journal of millions of rows).
        var decidedKeys = new Dictionary<string, (long Id, long At)>(StringComparer.Ordinal);
        long journalRows = 0;
        foreach (var entry in store.AllJournal())
        {
            journalRows++;
            if (entry.Delta != 0)
            {
                if (entry.AccountId is { } accountId)
                {
                    deltas[accountId] = deltas.GetValueOrDefault(accountId) + entry.Delta;
                }
                else
                {
                    Report(violations, $"journal row {entry.Id} moves {entry.Delta} on no account");
                }
            }

            // A forward is its key's decision as much as an on-us decision is: it stores the key's record.
            if (entry.Disposition is JournalDisposition.Decided or JournalDisposition.Forwarded)
            {
                // A key decided again once its stored answer was pruned (a terminal reusing STAN and DE 7 a year on) is fine.
                if (decidedKeys.TryGetValue(entry.Key, out var earlier) && entry.AtUnixMilliseconds - earlier.At < retentionMs)
                {
                    Report(violations, $"key {entry.Key} was applied more than once (again in journal row {entry.Id})");
                }

                decidedKeys[entry.Key] = (entry.Id, entry.AtUnixMilliseconds);
            }
        }

        var accounts = 0;
        foreach (var account in store.AllAccounts())
        {
            accounts++;
            var expected = account.OpeningBalance + deltas.GetValueOrDefault(account.Id);
            deltas.Remove(account.Id);
            if (account.Balance != expected)
            {
                Report(violations, $"account {account.Id} holds {account.Balance} but its opening balance and journal give {expected}");
            }
        }

        foreach (var (accountId, delta) in deltas)
        {
            Report(violations, $"the journal moves {delta} on account {accountId}, which is not on file");
        }

        foreach (var record in store.AllIdempotency())
        {
            if (!decidedKeys.Remove(record.Key))
            {
                Report(violations, $"key {record.Key} has a stored outcome but no journal row");
            }
        }

        foreach (var (key, decided) in decidedKeys)
        {
            if (decided.At >= heldFrom)
            {
                Report(violations, $"key {key} was decided in journal row {decided.Id} but has no stored outcome");
            }
        }

        return new InvariantReport(accounts, journalRows, violations);
    }

    private static void Report(List<string> violations, FormattableString violation)
    {
        if (violations.Count < MaxReportedViolations)
        {
            violations.Add(violation.ToString(CultureInfo.InvariantCulture));
        }
    }
}
