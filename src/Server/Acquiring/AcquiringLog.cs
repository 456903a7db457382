using Microsoft.Extensions.Logging;

namespace SocketAtm.Server.Acquiring;

/// <summary>The acquirer's log events (6100–6149): masked PANs and RRNs only, never a PIN block or key.</summary>
internal static partial class AcquiringLog
{
    [LoggerMessage(6100, LogLevel.Warning, "Route {Route}: gave up on {Key} (RRN {Rrn}, {MaskedPan}): {Reply}; the terminal is answered 91 and a withdrawal is reversed upstream")]
    public static partial void GaveUp(ILogger logger, string route, string key, string? rrn, string maskedPan, string reply);

    [LoggerMessage(6101, LogLevel.Warning, "Route {Route}: {Key} was not sent ({Reason}); the terminal is answered 91")]
    public static partial void NotSent(ILogger logger, string route, string key, string reason);

    [LoggerMessage(6104, LogLevel.Warning, "Forwarded {Key} was still pending {Age} after it was forwarded (its host stopped, or its repeat waited out the budget): given up")]
    public static partial void SweptPending(ILogger logger, string key, TimeSpan age);

    [LoggerMessage(6106, LogLevel.Information, "Route {Route}: the PIN block of {Key} does not decode under the terminal's keys; answered 55 and nothing sent")]
    public static partial void PinNotTranslated(ILogger logger, string route, string key);
}
