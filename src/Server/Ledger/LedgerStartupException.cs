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

    /// <summary>
    /// True when trying again later may succeed (the database is not reachable yet), false when something must be fixed
    /// first (a key, the configuration, the data). A service manager restarts the host after the first, not the second.
    /// </summary>
    public bool IsTransient { get; init; }
}
