using Microsoft.Extensions.Logging;

namespace SocketAtm.Server.Diagnostics;

/// <summary>
/// The log lines of throttling: security violations of a terminal or an address throttled and the summary of each such
/// window, and the count of rate-limited lines not logged (<see cref="LogRateLimit"/>). Never a PAN, only terminal ids,
/// address keys and counts.
/// </summary>
internal static partial class ThrottleLog
{
    [LoggerMessage(180, LogLevel.Warning, "Security violations of terminal {TerminalId} throttled: more than {Threshold} within {Window} (this one from {RemoteAddress}); the rest of the window is answered as ever but journaled as one row and not logged one by one")]
    public static partial void TerminalThrottled(ILogger logger, string terminalId, int threshold, TimeSpan window, string remoteAddress);

    [LoggerMessage(181, LogLevel.Warning, "Security violations from {RemoteAddress} throttled: more than {Threshold} within {Window}; the rest of the window is answered as ever but not journaled or logged one by one")]
    public static partial void AddressThrottled(ILogger logger, string remoteAddress, int threshold, TimeSpan window);

    [LoggerMessage(182, LogLevel.Warning, "Throttling of terminal {TerminalId} ended: {Detail}; journaled as one row")]
    public static partial void TerminalThrottlingEnded(ILogger logger, string terminalId, string detail);

    [LoggerMessage(183, LogLevel.Warning, "Throttling of {RemoteAddress} ended: {Throttled} violations (mac: {Mac}, stale: {Stale}, unknown terminal: {UnknownTerminal}) not logged one by one in {Window} from {StartedAt:u}, after {Journaled} logged")]
    public static partial void AddressThrottlingEnded(
        ILogger logger, string remoteAddress, int throttled, int mac, int stale, int unknownTerminal, TimeSpan window, DateTimeOffset startedAt, int journaled);

    [LoggerMessage(184, LogLevel.Error, "The aggregated journal row of terminal {TerminalId}'s throttled violations was not written ({ResponseCode}): {Detail}")]
    public static partial void SummaryNotJournaled(ILogger logger, string terminalId, string responseCode, string detail);

    [LoggerMessage(185, LogLevel.Error, "The aggregated journal row of terminal {TerminalId}'s throttled violations was not written: {Detail}")]
    public static partial void SummaryFailed(ILogger logger, Exception exception, string terminalId, string detail);

    [LoggerMessage(186, LogLevel.Warning, "{Suppressed} more lines like the next one from {RemoteAddress} were not logged ({Kind}); one is logged per address and kind within {Window}")]
    public static partial void LinesSuppressed(ILogger logger, long suppressed, string remoteAddress, string kind, TimeSpan window);
}
