using System.Diagnostics.CodeAnalysis;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace SocketAtm.Server.Hosting;

/// <summary>Recognises start-up failures caused by configuration or the environment, and words them for an operator.</summary>
internal static partial class StartupFailure
{
    /// <summary>What starts every line the host writes when it cannot start.</summary>
    public const string Prefix = "socketatm: cannot start: ";

    /// <summary>
    /// The failure in one readable line, or several failures (the host validates every settings section at start, and
    /// reports all that are wrong together) in one line each, separated by <c>\n</c>; false when any of them is not one
    /// this class can word (a defect: its stack trace is worth more).
    /// </summary>
    public static bool TryDescribe(Exception exception, [NotNullWhen(true)] out string? message)
    {
        var lines = new List<string>();
        message = TryDescribe(exception, lines) ? string.Join('\n', lines.Distinct(StringComparer.Ordinal)) : null;
        return message is not null;
    }

    /// <summary>Writes <paramref name="message"/> (from <see cref="TryDescribe(Exception, out string?)"/>) to <paramref name="error"/>, each line after <see cref="Prefix"/>.</summary>
    public static async Task WriteAsync(TextWriter error, string message)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(message);
        foreach (var line in message.Split('\n'))
        {
            await error.WriteLineAsync(Prefix + line);
        }
    }

    /// <summary>True for a failure that may clear by itself (the database not reachable yet): worth a restart; several are only when each is.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        Ledger.LedgerStartupException ledger => ledger.IsTransient,
        AggregateException { InnerExceptions.Count: > 0 } aggregate => aggregate.InnerExceptions.All(IsTransient),
        _ => false,
    };

    private static bool TryDescribe(Exception exception, List<string> lines)
    {
        if (exception is AggregateException aggregate)
        {
            return aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(inner => TryDescribe(inner, lines));
        }

        var line = exception switch
        {
            OptionsValidationException validation => string.Join(" ", validation.Failures),
            SocketException socket when socket.SocketErrorCode == SocketError.AddressAlreadyInUse =>
                "the listener address is already in use (another host on this port? set --port).",
            Microsoft.AspNetCore.Connections.AddressInUseException inUse => inUse.Message + " (set --port).",
            IOException { InnerException: Microsoft.AspNetCore.Connections.AddressInUseException } http =>
                http.Message + " (another host's operations port? set --ops-port).",
            SocketException socket => "the listener could not bind: " + socket.Message,
            UnauthorizedAccessException access => access.Message,
            Ledger.LedgerStartupException ledger => ledger.Message,
            InvalidOperationException conversion when UnconvertibleSetting().Match(conversion.Message) is { Success: true } match =>
                $"{match.Groups["key"].Value} must be {Expected(match.Groups["type"].Value)}.",
            _ => null,
        };
        if (line is null)
        {
            return false;
        }

        lines.Add(line);
        return true;
    }

    /// <summary>What a setting of <paramref name="typeName"/> accepts, in an operator's words.</summary>
    private static string Expected(string typeName) => typeName switch
    {
        "System.Boolean" => "true or false",
        "System.Int32" or "System.Int64" => "a whole number",
        "System.TimeSpan" => "a duration such as 00:00:30",
        _ when typeName.StartsWith("System.Nullable`1[[System.Boolean", StringComparison.Ordinal) => "true or false",
        _ => "a value of type " + typeName[(typeName.LastIndexOf('.') + 1)..],
    };

    /// <summary>
    /// The configuration binder's words for a value it cannot convert (<c>--Security:AllowTerminalsWithoutMac=yes</c>). The
    /// value itself is left out of the line: whatever was mistyped stays out of logs and terminals' scrollback.
    /// </summary>
    [GeneratedRegex(@"^Failed to convert configuration value '.*' at '(?<key>[^']+)' to type '(?<type>[^']+)'\.", RegexOptions.Singleline)]
    private static partial Regex UnconvertibleSetting();
}
