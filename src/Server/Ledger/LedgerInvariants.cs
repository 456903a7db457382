using System.Globalization;
using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Ledger.Storage;

namespace SocketAtm.Server.Ledger;

/// <summary>
/// The ledger's invariants: every account's balance is its opening balance plus the journal's deltas for it, and no
/// idempotency key was decided (applied) twice. Checked at every open and on demand.
/// </summary>
internal static class LedgerInvariants
{
    private const int MaxReportedViolations = 100;

    public static InvariantReport Check(LedgerStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var violations = new List<string>();
        var deltas = new Dictionary<long, long>();
        var decidedKeys = new HashSet<string>(StringComparer.Ordinal);
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

            if (entry.Disposition == JournalDisposition.Decided && !decidedKeys.Add(entry.Key))
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
            if (!decidedKeys.Contains(record.Key))
            {
                Report(violations, $"key {record.Key} has a stored outcome but no journal row");
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
