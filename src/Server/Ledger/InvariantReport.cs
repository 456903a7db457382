namespace SocketAtm.Server.Ledger;

/// <summary>The result of checking the ledger's invariants. Violations name accounts and keys, never PANs.</summary>
internal sealed record InvariantReport(int AccountsChecked, long JournalRows, IReadOnlyList<string> Violations)
{
    public bool Holds => Violations.Count == 0;
}
