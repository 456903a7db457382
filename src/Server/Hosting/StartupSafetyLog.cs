using Microsoft.Extensions.Logging;

namespace SocketAtm.Server.Hosting;

/// <summary>
/// The warnings a host logs at every start for each safety relaxation its operator chose (5000–5049), so that none of
/// them stays on unnoticed.
/// </summary>
internal static partial class StartupSafetyLog
{
    [LoggerMessage(5000, LogLevel.Warning, "Listener:AllowPlaintext is true: terminals on {Address} are served WITHOUT TLS (card data, amounts and answers cross the network in clear); enable Listener:Tls for production")]
    public static partial void PlaintextOffLoopback(ILogger logger, string address);

    [LoggerMessage(5001, LogLevel.Warning, "Ledger:AllowDemoData is true: the PUBLISHED demo data ({DemoData}) is served on {Address}, off loopback; anyone who reaches it can use those keys and cards. Run `admin remove-demo-data` for production")]
    public static partial void DemoDataOffLoopback(ILogger logger, string demoData, string address);
}
