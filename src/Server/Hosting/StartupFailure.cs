using System.Diagnostics.CodeAnalysis;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace SocketAtm.Server.Hosting;

/// <summary>Recognises start-up failures caused by configuration or the environment, and words them for an operator.</summary>
internal static class StartupFailure
{
    public static bool TryDescribe(Exception exception, [NotNullWhen(true)] out string? message)
    {
        message = exception switch
        {
            OptionsValidationException validation => string.Join(" ", validation.Failures),
            SocketException socket when socket.SocketErrorCode == SocketError.AddressAlreadyInUse =>
                "the listener address is already in use (another host on this port? set --port).",
            Microsoft.AspNetCore.Connections.AddressInUseException inUse => inUse.Message + " (set --port).",
            SocketException socket => "the listener could not bind: " + socket.Message,
            UnauthorizedAccessException access => access.Message,
            Ledger.LedgerStartupException ledger => ledger.Message,
            AggregateException { InnerExceptions.Count: 1 } aggregate when TryDescribe(aggregate.InnerExceptions[0], out var inner) => inner,
            _ => null,
        };
        return message is not null;
    }

    /// <summary>True for a failure that may clear by itself (the database not reachable yet): worth a restart.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        Ledger.LedgerStartupException ledger => ledger.IsTransient,
        AggregateException { InnerExceptions.Count: 1 } aggregate => IsTransient(aggregate.InnerExceptions[0]),
        _ => false,
    };
}
