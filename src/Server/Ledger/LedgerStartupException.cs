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
}
