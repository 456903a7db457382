using System.Globalization;
using SocketAtm.Server.Ledger.Model;

namespace SocketAtm.Server.Ledger.LiteDb;

/// <summary>
/// The ledger's invariants: every account's balance is its opening balance plus the journal's deltas for it, no
/// idempotency key was decided (applied) twice, and decided journal rows and stored outcomes match one to one — a
/// decision without its stored answer would let a repeat or a reversal act as if it never happened. Checked at
/// every open and on demand.
/// </summary>
internal static class LedgerInvariants
{
    private const int MaxReportedViolations = 100;

    public static InvariantReport Check(LedgerStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var violations = new List<string>();
        var deltas = new Dictionary<long, long>();
        // Decided key → its journal row; keys are taken out as their stored outcomes are found, so what is left at the
        // end is a decision whose stored answer is missing (one set, not two, on a journal of millions of rows).
        var decidedKeys = new Dictionary<string, long>(StringComparer.Ordinal);
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

            if (entry.Disposition == JournalDisposition.Decided && !decidedKeys.TryAdd(entry.Key, entry.Id))
            {
                Report(violations, $"key {entry.Key} was applied more than once (again in journal row {entry.Id})");
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

        foreach (var (key, journalId) in decidedKeys)
        {
            Report(violations, $"key {key} was decided in journal row {journalId} but has no stored outcome");
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
