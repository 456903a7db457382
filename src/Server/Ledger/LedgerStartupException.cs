namespace SocketAtm.Server.Ledger;

/// <summary>The ledger refused to open. The message is one line, fit to print as the host's reason for not starting.</summary>
internal sealed class LedgerStartupException : Exception
{
    public LedgerStartupException()
        : this("The ledger could not be opened.")
    {
    }

    public LedgerStartupException(string message)
        : base(message)
    {
    }

    public LedgerStartupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The refusal to open a ledger whose invariants do not hold, naming the first violations and counting the rest.</summary>
    /// <param name="ledger">Which ledger, as the start of a sentence: "The ledger at '…'".</param>
    public static LedgerStartupException FailedInvariants(string ledger, InvariantReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var more = report.Violations.Count > 3 ? $" (and {report.Violations.Count - 3} more)" : string.Empty;
        return new LedgerStartupException(
            $"{ledger} fails its invariant check and will not open: {string.Join("; ", report.Violations.Take(3))}{more}");
    }

    /// <summary>
    /// True when trying again later may succeed (the database is not reachable yet), false when something must be fixed
    /// first (a key, the configuration, the data). A service manager restarts the host after the first, not the second.
    /// </summary>
    public bool IsTransient { get; init; }
}
