using Microsoft.Extensions.Logging;

namespace SocketAtm.Server.Ledger.LiteDb;

/// <summary>The LiteDB ledger's own log events (3050–3069).</summary>
internal static partial class LiteDbLog
{
    [LoggerMessage(3050, LogLevel.Information, "LiteDB ledger migrated from format {From} to {To} ({Records} records rewritten)")]
    public static partial void Migrated(ILogger logger, int from, int to, int records);
}
