namespace SocketAtm.TerminalClient.Scripted;

/// <summary>What the process exit code says, for scripts and CI.</summary>
internal static class ExitCodes
{
    /// <summary>The host approved (for <c>echo</c>: answered 00).</summary>
    public const int Approved = 0;

    /// <summary>The host declined; the response code is in the output.</summary>
    public const int Declined = 1;

    /// <summary>No answer: the host could not be reached, the terminal is not signed on, or the request timed out.</summary>
    public const int Failed = 2;

    /// <summary>The command line is wrong.</summary>
    public const int Usage = 64;
}
