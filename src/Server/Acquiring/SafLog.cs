using Microsoft.Extensions.Logging;

namespace SocketAtm.Server.Acquiring;

/// <summary>The store-and-forward worker's log events (6120–6139): masked PANs, RRNs and keys only, never a PIN block or key.</summary>
internal static partial class SafLog
{
    [LoggerMessage(6120, LogLevel.Information, "Route {Route}: {Entry} delivered, acknowledged by the issuer after {Attempts} tries")]
    public static partial void Delivered(ILogger logger, string route, string entry, int attempts);

    [LoggerMessage(6121, LogLevel.Warning, "Route {Route}: {Entry} not acknowledged ({Result}); try {Attempts}, sent again in {Delay}")]
    public static partial void NotAcknowledged(ILogger logger, string route, string entry, string result, int attempts, TimeSpan delay);

    [LoggerMessage(6122, LogLevel.Error, "Route {Route}: {Entry} refused by the issuer with {ResponseCode}; kept as an exception, not retried until an operator runs admin saf retry")]
    public static partial void Refused(ILogger logger, string route, string entry, string responseCode);

    [LoggerMessage(6123, LogLevel.Error, "Route {Route}: {Expired} owed messages are older than the SAF expiry of {Expiry} (oldest owed since {Oldest:u}); still sent, never dropped: see admin saf list")]
    public static partial void Expired(ILogger logger, string route, int expired, TimeSpan expiry, DateTimeOffset oldest);

    [LoggerMessage(6124, LogLevel.Error, "The store-and-forward round failed; tried again in a round")]
    public static partial void RoundFailed(ILogger logger, Exception exception);

    [LoggerMessage(6125, LogLevel.Information, "Store-and-forward: this host claims deliveries as {Claimant}, each for the route's timeout plus {Margin}")]
    public static partial void Started(ILogger logger, string claimant, TimeSpan margin);

    [LoggerMessage(6126, LogLevel.Warning, "Route {Route}: {Entry} booked by the issuer, which would have declined it ({ResponseCode}): the dispense stands; a reconciliation exception, see admin saf disputes")]
    public static partial void Disputed(ILogger logger, string route, string entry, string responseCode);

    [LoggerMessage(6127, LogLevel.Warning, "Route {Route}: {Key} decided in stand-in ({Reason}): {ResponseCode}")]
    public static partial void StoodIn(ILogger logger, string route, string key, string reason, string responseCode);
}
