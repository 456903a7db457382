using Microsoft.Extensions.Logging;

namespace SocketAtm.Server.Diagnostics;

/// <summary>
/// The log lines of the upstream links (event ids 6000–6099). Never a PAN, PIN block or key: routes, endpoints,
/// reasons, MTIs and STANs only. Lines an issuer can cause at will go through <see cref="LogRateLimit"/>.
/// </summary>
internal static partial class UpstreamLog
{
    [LoggerMessage(6000, LogLevel.Information, "Route {Route}: {BinCount} BIN prefixes to {Endpoints} over {Connections} connections, DE 32 {AcquirerId}")]
    public static partial void RouteConfigured(ILogger logger, string route, int binCount, string endpoints, int connections, string acquirerId);

    [LoggerMessage(6001, LogLevel.Information, "Route {Route} connection {Connection}: signed on at {Endpoint}")]
    public static partial void SignedOn(ILogger logger, string route, int connection, string endpoint);

    [LoggerMessage(6002, LogLevel.Warning, "Route {Route} connection {Connection}: link to {Endpoint} lost ({Reason}); reconnecting")]
    public static partial void LinkLost(ILogger logger, string route, int connection, string endpoint, string reason);

    [LoggerMessage(6003, LogLevel.Warning, "Route {Route} connection {Connection}: cannot sign on at {Endpoint}: {Error}")]
    public static partial void ConnectFailed(ILogger logger, string route, int connection, string endpoint, string error);

    [LoggerMessage(6004, LogLevel.Warning, "Route {Route}: discarded a frame from {Endpoint}: {Reason} (MTI {Mti}, STAN {Stan})")]
    public static partial void DiscardedFrame(ILogger logger, string route, string endpoint, string reason, string mti, string stan);

    [LoggerMessage(6005, LogLevel.Warning, "Route {Route}: untrusted answer {Mti} to STAN {Stan}: {Reason}; treated as no answer")]
    public static partial void UntrustedAnswer(ILogger logger, string route, string mti, string stan, string reason);

    [LoggerMessage(6006, LogLevel.Information, "Route {Route} connection {Connection}: signed off at {Endpoint}")]
    public static partial void SignedOff(ILogger logger, string route, int connection, string endpoint);

    [LoggerMessage(6007, LogLevel.Information, "Demo route {Route}: BIN {Bin} to the issuer simulator at {Endpoint} under the published demo ZPK (loopback only)")]
    public static partial void DemoRoute(ILogger logger, string route, string bin, string endpoint);

    [LoggerMessage(6008, LogLevel.Warning, "Route {Route}: the link status file {Path} could not be written: {Error}")]
    public static partial void StatusFileFailed(ILogger logger, string route, string path, string error);

    [LoggerMessage(6009, LogLevel.Warning, "Route {Route}: circuit breaker open after {Failures} financial requests timed out in a row within {Window}; none is sent for {OpenFor} (the terminal is answered 91)")]
    public static partial void BreakerOpened(ILogger logger, string route, int failures, TimeSpan window, TimeSpan openFor);

    [LoggerMessage(6010, LogLevel.Warning, "Route {Route}: circuit breaker probe timed out; open again for {OpenFor}")]
    public static partial void BreakerReopened(ILogger logger, string route, TimeSpan openFor);

    [LoggerMessage(6011, LogLevel.Information, "Route {Route}: circuit breaker half-open; the next financial request is sent as its probe")]
    public static partial void BreakerHalfOpen(ILogger logger, string route);

    [LoggerMessage(6012, LogLevel.Information, "Route {Route}: circuit breaker closed; its probe was answered")]
    public static partial void BreakerClosed(ILogger logger, string route);
}
