namespace SocketAtm.Server.Admin;

/// <summary>An admin command cannot do what was asked; the message is printed as one line.</summary>
internal sealed class AdminException : Exception
{
    public AdminException(string message)
        : base(message)
    {
    }

    public AdminException()
    {
    }

    public AdminException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
