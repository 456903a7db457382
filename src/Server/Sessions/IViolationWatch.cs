namespace SocketAtm.Server.Sessions;

/// <summary>
/// The dispatcher's view of the throttle of security violations: a request whose DE 41 names no registered, enabled
/// terminal is one, counted per address (there is no terminal to journal it under). The route table names it, as it
/// names the MAC-failure handler, so that the counting, logging and journaling it implies are the handlers' side's.
/// </summary>
internal interface IViolationWatch
{
    /// <summary>
    /// Counts a request naming no registered, enabled terminal, answered 58; true when it is to be logged one by one,
    /// false once its address is throttled (then only counted, and summed up when the window ends).
    /// </summary>
    bool UnknownTerminal(MessageContext context);
}
