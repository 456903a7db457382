namespace SocketAtm.Server.Ledger;

/// <summary>
/// The ledger cannot take requests: its storage failed (it will not serve from a broken engine) or it was closed.
/// Nothing of the request was applied unless a stored outcome says otherwise; answer 96.
/// </summary>
internal sealed class LedgerUnavailableException : Exception
{
    public LedgerUnavailableException()
        : this("The ledger is unavailable.")
    {
    }

    public LedgerUnavailableException(string message)
        : base(message)
    {
    }

    public LedgerUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
