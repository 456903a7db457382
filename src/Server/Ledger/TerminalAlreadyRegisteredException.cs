namespace SocketAtm.Server.Ledger;

/// <summary>
/// A terminal was to be registered under an id that is registered already, without
/// <see cref="TerminalRegistration.ReplaceExisting"/>: nothing was changed (its keys above all), since replacing a terminal
/// by mistake cuts the real one off until it is given the new master key.
/// </summary>
internal sealed class TerminalAlreadyRegisteredException : ArgumentException
{
    public TerminalAlreadyRegisteredException(string terminalId)
        : base($"Terminal {terminalId} is already registered; nothing was changed.") =>
        TerminalId = terminalId;

    public TerminalAlreadyRegisteredException()
    {
        TerminalId = string.Empty;
    }

    public TerminalAlreadyRegisteredException(string message, Exception innerException)
        : base(message, innerException)
    {
        TerminalId = string.Empty;
    }

    /// <summary>The id already registered.</summary>
    public string TerminalId { get; }
}
