using Microsoft.Extensions.Logging;

namespace SocketAtm.Server.Operations.Access;

/// <summary>The operations port's access lines. None names an attempted token, cookie or certificate.</summary>
internal static partial class OperatorAccessLog
{
    [LoggerMessage(67, LogLevel.Warning, "Operator credentials from {Address} refused: {Failures} failed within {Window}; every request from it is answered 429 for the rest of that window")]
    public static partial void AddressRefused(ILogger logger, string address, int failures, TimeSpan window);

    [LoggerMessage(68, LogLevel.Information, "Operations TLS with certificate {Subject} ({Thumbprint}) valid until {NotAfter:u}; client certificates {ClientCertificates}")]
    public static partial void TlsOn(ILogger logger, string subject, string thumbprint, DateTime notAfter, string clientCertificates);

    [LoggerMessage(5002, LogLevel.Warning, "Operations:AllowPlaintext is true: the operations port on {Address} is served WITHOUT TLS (the operator token and session cookies cross the network in clear); set Operations:Tls:CertificatePath for production")]
    public static partial void PlaintextOffLoopback(ILogger logger, string address);
}
