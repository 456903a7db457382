using Microsoft.Extensions.Logging;

namespace SocketAtm.Server.Diagnostics;

/// <summary>
/// Every log line the host writes, source-generated with a stable event id. Arguments are never card data in clear:
/// PANs arrive here already masked, and PIN blocks, track 2, MACs and keys are never arguments at all.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Listening on {EndPoint}")]
    public static partial void ListeningOn(ILogger logger, string endPoint);

    [LoggerMessage(2, LogLevel.Information, "Connection accepted from {RemoteEndPoint}")]
    public static partial void ConnectionAccepted(ILogger logger, string? remoteEndPoint);

    [LoggerMessage(3, LogLevel.Information, "Connection closed: {Reason}")]
    public static partial void ConnectionClosed(ILogger logger, string reason);

    [LoggerMessage(4, LogLevel.Warning, "Connection from {RemoteEndPoint} refused: {OpenConnections} connections open, the cap is {MaxConnections}")]
    public static partial void ConnectionRefused(ILogger logger, string? remoteEndPoint, long openConnections, int maxConnections);

    [LoggerMessage(5, LogLevel.Warning, "Protocol violation: frame declares {DeclaredLength} bytes, the maximum is {MaxFrameLength}; closing the connection")]
    public static partial void FrameTooLarge(ILogger logger, int declaredLength, int maxFrameLength);

    [LoggerMessage(6, LogLevel.Warning, "Malformed {Mti} message answered with 30: {Error}")]
    public static partial void MalformedMessage(ILogger logger, string mti, string error);

    [LoggerMessage(7, LogLevel.Warning, "Protocol violation: message without a readable MTI ({Error}); closing the connection")]
    public static partial void UnreadableMessage(ILogger logger, string error);

    [LoggerMessage(8, LogLevel.Information, "Idle for {IdleTimeout}; closing the connection")]
    public static partial void IdleTimeout(ILogger logger, TimeSpan idleTimeout);

    [LoggerMessage(9, LogLevel.Warning, "Partial frame of {BufferedBytes} bytes not completed within {PartialFrameTimeout}; closing the connection")]
    public static partial void PartialFrameTimeout(ILogger logger, long bufferedBytes, TimeSpan partialFrameTimeout);

    [LoggerMessage(10, LogLevel.Warning, "Connection ended inside a frame ({BufferedBytes} bytes buffered)")]
    public static partial void TruncatedAtClose(ILogger logger, long bufferedBytes);

    [LoggerMessage(11, LogLevel.Information, "{Mti} {ProcessingCode} card {MaskedPan} amount {Amount} -> {ResponseCode} in {LatencyMs:F2} ms")]
    public static partial void Transaction(ILogger logger, string mti, string processingCode, string maskedPan, long amount, string responseCode, double latencyMs);

    [LoggerMessage(12, LogLevel.Information, "Network management {Code:D3} for terminal {TerminalId} -> {ResponseCode}")]
    public static partial void NetworkManagement(ILogger logger, long code, string terminalId, string responseCode);

    [LoggerMessage(13, LogLevel.Warning, "Message {Mti} answered with {ResponseCode}: {Reason}")]
    public static partial void Refused(ILogger logger, string mti, string responseCode, string reason);

    [LoggerMessage(14, LogLevel.Debug, "Ignoring a {Mti} message: terminals send requests and advices only")]
    public static partial void IgnoredResponseMessage(ILogger logger, string mti);

    [LoggerMessage(15, LogLevel.Error, "Session failed")]
    public static partial void SessionFailed(ILogger logger, Exception exception);

    [LoggerMessage(16, LogLevel.Information, "Stopping: {OpenConnections} connections open, draining in-flight requests for up to {DrainTimeout}")]
    public static partial void Draining(ILogger logger, int openConnections, TimeSpan drainTimeout);

    [LoggerMessage(17, LogLevel.Warning, "Drain timeout: aborting {OpenConnections} connections")]
    public static partial void AbortingAfterDrain(ILogger logger, int openConnections);

    [LoggerMessage(18, LogLevel.Warning, "Accept failed; retrying")]
    public static partial void AcceptFailed(ILogger logger, Exception exception);

    [LoggerMessage(19, LogLevel.Error, "Request failed; answering 96")]
    public static partial void HandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(20, LogLevel.Information, "Stopped accepting connections")]
    public static partial void StoppedAccepting(ILogger logger);

    [LoggerMessage(21, LogLevel.Critical, "Storage failed; the host stops now rather than serve from a broken ledger")]
    public static partial void StorageFailed(ILogger logger, Exception exception);

    // Transport: 40-49.
    [LoggerMessage(40, LogLevel.Warning, "Connection from {RemoteEndPoint} refused: {OpenFromAddress} connections open from this address, the cap is {MaxConnectionsPerAddress}")]
    public static partial void ConnectionRefusedPerAddress(ILogger logger, string? remoteEndPoint, int openFromAddress, int maxConnectionsPerAddress);

    [LoggerMessage(41, LogLevel.Warning, "TLS handshake with {RemoteEndPoint} failed ({Reason}): {Detail}; closing the connection")]
    public static partial void TlsHandshakeFailed(ILogger logger, string? remoteEndPoint, string reason, string detail);

    [LoggerMessage(42, LogLevel.Information, "TLS {Protocol} {CipherSuite} established; client certificate {ClientSubject}, may speak for terminals {BoundTerminals}")]
    public static partial void TlsEstablished(ILogger logger, string protocol, string cipherSuite, string clientSubject, string boundTerminals);

    [LoggerMessage(43, LogLevel.Information, "TLS enabled with certificate {Subject} ({Thumbprint}) valid until {NotAfter:u}; client certificates {ClientCertificates}")]
    public static partial void TlsEnabled(ILogger logger, string subject, string thumbprint, DateTime notAfter, string clientCertificates);

    [LoggerMessage(44, LogLevel.Warning, "The TLS certificate {Subject} expires {NotAfter:u}: terminals will refuse it once it has expired")]
    public static partial void TlsCertificateExpiring(ILogger logger, string subject, DateTime notAfter);

    // Connection admission (sign-on deadline, unsigned-connection cap, PROXY protocol): 60-69.
    [LoggerMessage(60, LogLevel.Warning, "No terminal signed on within {SignOnTimeout} over the connection from {RemoteAddress}; closing it")]
    public static partial void SignOnTimeout(ILogger logger, TimeSpan signOnTimeout, string remoteAddress);

    [LoggerMessage(61, LogLevel.Warning, "Connection from {RemoteEndPoint} refused: {OpenUnsigned} connections from this address have no terminal signed on yet, the cap is {MaxUnsignedConnectionsPerAddress}")]
    public static partial void ConnectionRefusedUnsignedPerAddress(ILogger logger, string? remoteEndPoint, int openUnsigned, int maxUnsignedConnectionsPerAddress);

    [LoggerMessage(62, LogLevel.Warning, "Connection from {RemoteEndPoint} refused: Listener:ProxyProtocol is On and it is not one of Listener:TrustedProxies")]
    public static partial void UntrustedProxy(ILogger logger, string? remoteEndPoint);

    [LoggerMessage(63, LogLevel.Warning, "PROXY protocol header from {ProxyEndPoint} refused ({Reason}): {Detail}; closing the connection")]
    public static partial void ProxyHeaderRefused(ILogger logger, string? proxyEndPoint, string reason, string detail);

    [LoggerMessage(64, LogLevel.Information, "Connection accepted from {RemoteEndPoint} through proxy {ProxyEndPoint}")]
    public static partial void ConnectionAcceptedThroughProxy(ILogger logger, string remoteEndPoint, string? proxyEndPoint);

    [LoggerMessage(65, LogLevel.Information, "PROXY protocol on: connections only from {TrustedProxies}, each beginning with a v1 or v2 header")]
    public static partial void ProxyProtocolEnabled(ILogger logger, string trustedProxies);

    [LoggerMessage(66, LogLevel.Information, "Operations on {Address}")]
    public static partial void OperationsOn(ILogger logger, string address);
}
