using Microsoft.Extensions.Logging;

namespace SocketAtm.Client.Diagnostics;

/// <summary>Every log line of the client, with stable event ids. Never a PAN in clear, a PIN, a PIN block, a MAC or a key.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Connected to {Endpoint} (link {LinkId})")]
    public static partial void Connected(ILogger logger, string endpoint, long linkId);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Could not connect to {Endpoint}: {Error}; next attempt in {Delay}")]
    public static partial void ConnectFailed(ILogger logger, string endpoint, string error, TimeSpan delay);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Link {LinkId} lost; reconnecting in {Delay}")]
    public static partial void LinkLost(ILogger logger, long linkId, TimeSpan delay);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "Terminal {TerminalId} signed on over link {LinkId}")]
    public static partial void SignedOn(ILogger logger, string terminalId, long linkId);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Terminal {TerminalId} sign-on answered {ResponseCode}")]
    public static partial void SignOnRefused(ILogger logger, string terminalId, string responseCode);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "Terminal {TerminalId} sign-on got no answer ({Reason}); dropping the link")]
    public static partial void SignOnUnanswered(ILogger logger, string terminalId, NoResponseReason reason);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Information, Message = "Terminal {TerminalId} signed off: {ResponseCode}")]
    public static partial void SignedOff(ILogger logger, string terminalId, string responseCode);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Warning, Message = "Echo for terminal {TerminalId} got no answer ({Reason}); dropping link {LinkId}")]
    public static partial void EchoUnanswered(ILogger logger, string terminalId, NoResponseReason reason, long linkId);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Warning, Message = "Request {Mti:D4} STAN {Stan} timed out")]
    public static partial void RequestTimedOut(ILogger logger, int mti, int stan);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Warning, Message = "Response {Mti:D4} for terminal {TerminalId} STAN {Stan} matches no request in flight; dropped")]
    public static partial void UnmatchedResponse(ILogger logger, int mti, string terminalId, string stan);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Warning, Message = "Unreadable response dropped: {Error}")]
    public static partial void UnreadableResponse(ILogger logger, string error);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Error, Message = "Response length header {Declared} exceeds {Limit}; dropping the link")]
    public static partial void FrameTooLarge(ILogger logger, int declared, int limit);

    [LoggerMessage(EventId = 2014, Level = LogLevel.Warning, Message = "Write failed ({Error}); dropping the link")]
    public static partial void WriteFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 2015, Level = LogLevel.Warning, Message = "Response {Mti:D4} STAN {Stan} for terminal {TerminalId} has a missing or wrong MAC; treated as no answer")]
    public static partial void ResponseMacInvalid(ILogger logger, int mti, int stan, string terminalId);

    [LoggerMessage(EventId = 2020, Level = LogLevel.Information, Message = "Terminal {TerminalId} {Kind} STAN {Stan}: {ResponseCode}")]
    public static partial void Answered(ILogger logger, string terminalId, string kind, int stan, string responseCode);

    [LoggerMessage(EventId = 2021, Level = LogLevel.Warning, Message = "Terminal {TerminalId} withdrawal STAN {Stan} got no answer ({Reason}); reversing")]
    public static partial void WithdrawalUnanswered(ILogger logger, string terminalId, int stan, NoResponseReason reason);

    [LoggerMessage(EventId = 2022, Level = LogLevel.Information, Message = "Terminal {TerminalId} reversal {Mti:D4} STAN {Stan} of original STAN {OriginalStan} (dispensed {Dispensed}): {ResponseCode}")]
    public static partial void ReversalAnswered(ILogger logger, string terminalId, int mti, int stan, int originalStan, long dispensed, string responseCode);

    [LoggerMessage(EventId = 2023, Level = LogLevel.Warning, Message = "Terminal {TerminalId} reversal STAN {Stan} not acknowledged ({Reason}); repeating as 0401 in {Delay}")]
    public static partial void ReversalRepeating(ILogger logger, string terminalId, int stan, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 2024, Level = LogLevel.Error, Message = "Terminal {TerminalId} closed with the reversal of original STAN {OriginalStan} unacknowledged after {Attempts} attempts")]
    public static partial void ReversalAbandoned(ILogger logger, string terminalId, int originalStan, int attempts);

    [LoggerMessage(EventId = 2030, Level = LogLevel.Information, Message = "Terminal {TerminalId} took new keys: TPK KCV {PinKeyCheck}, TAK KCV {MacKeyCheck}")]
    public static partial void KeysExchanged(ILogger logger, string terminalId, string pinKeyCheck, string macKeyCheck);

    [LoggerMessage(EventId = 2031, Level = LogLevel.Error, Message = "Terminal {TerminalId} key exchange attempt {Attempt}: DE 48 malformed or a KCV does not match; keys not used")]
    public static partial void KeyExchangeRejected(ILogger logger, string terminalId, int attempt);

    [LoggerMessage(EventId = 2032, Level = LogLevel.Warning, Message = "Terminal {TerminalId} key exchange answered {ResponseCode}; keeping the current keys")]
    public static partial void KeyExchangeRefused(ILogger logger, string terminalId, string responseCode);

    [LoggerMessage(EventId = 2033, Level = LogLevel.Warning, Message = "Terminal {TerminalId} key exchange attempt {Attempt} got no valid answer ({Reason}); the host keeps the current keys until new ones are used")]
    public static partial void KeyExchangeUnanswered(ILogger logger, string terminalId, int attempt, NoResponseReason reason);

    [LoggerMessage(EventId = 2034, Level = LogLevel.Warning, Message = "Terminal {TerminalId} key exchange attempt {Attempt} failed ({Problem}); asking again in {Delay}")]
    public static partial void KeyExchangeRepeating(ILogger logger, string terminalId, int attempt, string problem, TimeSpan delay);

    [LoggerMessage(EventId = 2035, Level = LogLevel.Warning, Message = "Terminal {TerminalId} got no new keys after {Attempts} key exchange attempts; it goes on with its current keys, which the host still holds")]
    public static partial void KeysKept(ILogger logger, string terminalId, int attempts);
}
