using Microsoft.Extensions.Logging;

namespace SocketAtm.Server.Diagnostics;

/// <summary>
/// The log lines of terminal key management: keys issued, keys made current, exchanges refused for their rate. Keys are
/// never arguments, only their check values.
/// </summary>
internal static partial class KeyLog
{
    [LoggerMessage(140, LogLevel.Information, "Key exchange for terminal {TerminalId}: new keys pending until first use (TPK KCV {PinKeyCheck}, TAK KCV {MacKeyCheck})")]
    public static partial void KeysIssued(ILogger logger, string terminalId, string pinKeyCheck, string macKeyCheck);

    [LoggerMessage(141, LogLevel.Information, "Terminal {TerminalId} used its pending keys: they are current now (TPK KCV {PinKeyCheck}, TAK KCV {MacKeyCheck})")]
    public static partial void KeysPromoted(ILogger logger, string terminalId, string pinKeyCheck, string macKeyCheck);

    [LoggerMessage(142, LogLevel.Warning, "Key exchange for terminal {TerminalId} refused with {ResponseCode}: more than {Limit} within {Window} (further refusals are not logged until one is granted)")]
    public static partial void KeyExchangeLimited(ILogger logger, string terminalId, string responseCode, int limit, TimeSpan window);

    [LoggerMessage(143, LogLevel.Warning, "Key exchange for terminal {TerminalId} refused with {ResponseCode}: the key exchange rate limit already tracks {Tracked} terminals")]
    public static partial void KeyExchangeTrackingFull(ILogger logger, string terminalId, string responseCode, int tracked);

    [LoggerMessage(144, LogLevel.Warning, "Terminal {TerminalId}'s pending keys were made current but the promotion could not be journaled ({ResponseCode}) (TPK KCV {PinKeyCheck}, TAK KCV {MacKeyCheck})")]
    public static partial void PromotionNotJournaled(ILogger logger, string terminalId, string responseCode, string pinKeyCheck, string macKeyCheck);

    [LoggerMessage(145, LogLevel.Warning, "Key exchange for terminal {TerminalId} refused with {ResponseCode}: its DE 7 is more than {Window} from the host's clock (a replay, or the terminal's clock is wrong)")]
    public static partial void KeyExchangeStale(ILogger logger, string terminalId, string responseCode, TimeSpan window);

    [LoggerMessage(146, LogLevel.Warning, "Key exchange for terminal {TerminalId} refused with {ResponseCode}: it is not later (DE 7, then DE 11) than the terminal's last exchange, so it is a replay; nothing changed")]
    public static partial void KeyExchangeNotLater(ILogger logger, string terminalId, string responseCode);

    [LoggerMessage(147, LogLevel.Information, "Key exchange for terminal {TerminalId} repeated: answered with the keys it issued, still pending (TPK KCV {PinKeyCheck}, TAK KCV {MacKeyCheck})")]
    public static partial void KeyExchangeRepeated(ILogger logger, string terminalId, string pinKeyCheck, string macKeyCheck);
}
