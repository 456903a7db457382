namespace SocketAtm.Server.Sessions;

/// <summary>
/// Who may speak for a terminal without a MAC key, bound from the configuration section <see cref="SectionName"/>. Such
/// a terminal's messages carry nothing that proves who sent them: whoever knows its id can send its withdrawals. Only the
/// connection can vouch for it — a loopback listener (nobody else can reach the host) or a mutual-TLS connection whose
/// client certificate names it.
/// </summary>
internal sealed class TerminalAuthenticationOptions
{
    public const string SectionName = "Security";

    /// <summary>
    /// True: off loopback, terminals without a MAC key transact over any connection, as on loopback (warned at every
    /// start). False (the default): off loopback their financial requests are answered 58 unless the connection's client
    /// certificate names them. Meaningless on loopback, where they always may.
    /// </summary>
    public bool AllowTerminalsWithoutMac { get; set; }

    /// <summary>Whether, on a listener that is (or is not) loopback, any connection may carry a terminal without a MAC key.</summary>
    public bool AnyConnectionServesTerminalsWithoutMac(bool listenerIsLoopback) => listenerIsLoopback || AllowTerminalsWithoutMac;
}
