namespace SocketAtm.IssuerSim;

/// <summary>The simulator cannot start; the message is one readable line for the operator.</summary>
public sealed class IssuerSimulatorStartupException : Exception
{
    public IssuerSimulatorStartupException()
    {
    }

    public IssuerSimulatorStartupException(string message)
        : base(message)
    {
    }

    public IssuerSimulatorStartupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
