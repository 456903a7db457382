using Microsoft.Extensions.Logging;

namespace SocketAtm.IssuerSim;

/// <summary>What the simulator says: masked PANs and KCVs only, never a PAN, PIN block or key.</summary>
internal static partial class IssuerLog
{
    [LoggerMessage(1, LogLevel.Information, "Issuer simulator listening on {Endpoint}; book {DataFile} ({State}); ZPK KCV {ZpkKcv}{ZakNote}; faults: {Faults}")]
    public static partial void Started(ILogger logger, string endpoint, string dataFile, string state, string zpkKcv, string zakNote, string faults);

    [LoggerMessage(2, LogLevel.Information, "Card {MaskedPan}: balance {Balance} (minor units)")]
    public static partial void Card(ILogger logger, string maskedPan, long balance);

    [LoggerMessage(3, LogLevel.Information, "Connection {Remote} opened")]
    public static partial void Opened(ILogger logger, string remote);

    [LoggerMessage(4, LogLevel.Information, "Connection {Remote} closed: {Reason}")]
    public static partial void Closed(ILogger logger, string remote, string reason);

    [LoggerMessage(5, LogLevel.Information, "{Mti} from {Remote} acquirer {Acquirer} terminal {Terminal} STAN {Stan} RRN {Rrn} card {MaskedPan} amount {Amount}: {ResponseCode}")]
    public static partial void Decided(ILogger logger, string mti, string remote, string? acquirer, string? terminal, string? stan, string? rrn, string maskedPan, string? amount, string responseCode);

    [LoggerMessage(6, LogLevel.Information, "0800 DE 70 {Code} from {Remote}: {ResponseCode}")]
    public static partial void NetworkManagement(ILogger logger, int code, string remote, string responseCode);

    [LoggerMessage(7, LogLevel.Warning, "Frame from {Remote} does not parse ({Error}); dropped")]
    public static partial void Unparsable(ILogger logger, string remote, string error);

    [LoggerMessage(8, LogLevel.Warning, "Frame from {Remote} declares {Declared} bytes, over the cap of {Cap}; closing the connection")]
    public static partial void Oversized(ILogger logger, string remote, int declared, int cap);

    [LoggerMessage(9, LogLevel.Information, "Fault: {Fault} for the answer to STAN {Stan} on {Remote}")]
    public static partial void Fault(ILogger logger, string fault, string? stan, string remote);

    [LoggerMessage(10, LogLevel.Information, "Fault: reset {Count} connection(s); refusing connections for {RefuseFor}")]
    public static partial void Reset(ILogger logger, int count, TimeSpan refuseFor);

    [LoggerMessage(11, LogLevel.Information, "Listening again on {Endpoint}")]
    public static partial void Listening(ILogger logger, string endpoint);

    [LoggerMessage(12, LogLevel.Warning, "{Mti} from {Remote}: MAC missing or wrong; answered 63, nothing applied")]
    public static partial void BadMac(ILogger logger, string mti, string remote);

    [LoggerMessage(14, LogLevel.Warning, "Cannot listen on {Endpoint} ({Error}); trying again")]
    public static partial void ListenFailed(ILogger logger, string endpoint, string error);

    [LoggerMessage(13, LogLevel.Information, "Issuer simulator stopped")]
    public static partial void Stopped(ILogger logger);
}
