using Microsoft.Extensions.Logging;
using SocketAtm.Server.Handlers;
using SocketAtm.Server.Transport;

namespace SocketAtm.Server.Hosting;

/// <summary>
/// Decides, once at start, whether this host accepts card requests without track 2 (<see cref="Track2Options"/>: unset,
/// only on a loopback listener), and says which mode applies in the log — a warning when the operator accepts them off
/// loopback, since then a PAN and a PIN are all it takes.
/// </summary>
internal static partial class Track2Mode
{
    public static bool Resolve(Track2Options options, ListenerOptions listener, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(listener);
        var accepts = options.AcceptsRequestsWithoutTrack2(listener.IsLoopback);
        if (!accepts)
        {
            Refused(logger, options.AcceptRequestsWithoutTrack2 is null ? "the default off loopback" : "Security:AcceptRequestsWithoutTrack2 is false");
        }
        else if (!listener.IsLoopback)
        {
            AcceptedOffLoopback(logger, listener.Address);
        }
        else
        {
            Accepted(logger, options.AcceptRequestsWithoutTrack2 is null ? "the default on loopback" : "Security:AcceptRequestsWithoutTrack2 is true");
        }

        return accepts;
    }

    [LoggerMessage(5040, LogLevel.Warning, "Security:AcceptRequestsWithoutTrack2 is true: card requests without track 2 (DE 35) are accepted on {Address}, off loopback; a PAN and a PIN are then all it takes, with no card. Send track 2 from every terminal and unset it for production")]
    private static partial void AcceptedOffLoopback(ILogger logger, string address);

    [LoggerMessage(5041, LogLevel.Information, "Card requests without track 2 (DE 35) are accepted ({Why}); with track 2, its PAN, expiry, service code and CVV are checked")]
    private static partial void Accepted(ILogger logger, string why);

    [LoggerMessage(5042, LogLevel.Information, "Card requests without track 2 (DE 35) are refused, 30 ({Why}); its PAN, expiry, service code and CVV are checked")]
    private static partial void Refused(ILogger logger, string why);
}
