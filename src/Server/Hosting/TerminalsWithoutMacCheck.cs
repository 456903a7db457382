using System.Globalization;
using Microsoft.Extensions.Logging;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Sessions;
using SocketAtm.Server.Transport;

namespace SocketAtm.Server.Hosting;

/// <summary>
/// Says at every start off loopback what becomes of the ledger's terminals without a MAC key: with
/// <c>Security:AllowTerminalsWithoutMac</c> they transact over any connection (a warning, since then knowing a terminal id
/// is enough); without it their financial requests are answered 58 unless a client certificate names them — one warning
/// line naming them (at most <see cref="ListedAtMost"/>), and saying whether this listener can bind certificates at all.
/// </summary>
internal static partial class TerminalsWithoutMacCheck
{
    /// <summary>Terminal ids named in the warning; the rest are counted ("and 980 more"), so a fleet keeps it one line.</summary>
    public const int ListedAtMost = 20;

    public static async Task WarnAsync(
        ILedgerAdmin admin, ListenerOptions listener, TlsOptions tls, TerminalAuthenticationOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentNullException.ThrowIfNull(listener);
        ArgumentNullException.ThrowIfNull(tls);
        ArgumentNullException.ThrowIfNull(options);
        if (listener.IsLoopback)
        {
            return;
        }

        if (options.AllowTerminalsWithoutMac)
        {
            AllowedOffLoopback(logger, listener.Address);
            return;
        }

        var terminals = await admin.ListTerminalsWithoutMacAsync(cancellationToken);
        if (terminals.Count == 0)
        {
            return;
        }

        if (tls.Enabled && tls.RequireClientCertificate && tls.BindTerminalsToClientCertificate)
        {
            RefusedUnlessCertificateNamesThem(logger, terminals.Count, Name(terminals), listener.Address);
        }
        else
        {
            RefusedOverEveryConnection(logger, terminals.Count, Name(terminals), listener.Address);
        }
    }

    /// <summary>"A, B, C" — or the first <see cref="ListedAtMost"/> and "and N more".</summary>
    public static string Name(IReadOnlyList<string> terminalIds)
    {
        ArgumentNullException.ThrowIfNull(terminalIds);
        var listed = string.Join(", ", terminalIds.Take(ListedAtMost));
        return terminalIds.Count <= ListedAtMost
            ? listed
            : string.Create(CultureInfo.InvariantCulture, $"{listed} and {terminalIds.Count - ListedAtMost} more");
    }

    [LoggerMessage(5030, LogLevel.Warning, "Security:AllowTerminalsWithoutMac is true: terminals without a MAC key transact on {Address}, off loopback, over any connection; whoever knows such a terminal's id can send its withdrawals. Register terminals with --mac or give them client certificates naming them (mutual TLS), and unset it for production")]
    private static partial void AllowedOffLoopback(ILogger logger, string address);

    [LoggerMessage(5031, LogLevel.Warning, "Terminals without a MAC key ({Count}: {Terminals}) are answered 58 to every financial request on {Address} unless they connect over mutual TLS with a client certificate naming them; their sign-on, echo and key exchange still work. Register them with --mac, or set Security:AllowTerminalsWithoutMac=true (warned at every start)")]
    private static partial void RefusedUnlessCertificateNamesThem(ILogger logger, int count, string terminals, string address);

    [LoggerMessage(5032, LogLevel.Warning, "Terminals without a MAC key ({Count}: {Terminals}) are answered 58 to every financial request on {Address}: off loopback only a client certificate naming them lets them transact, and this listener binds none (Listener:Tls:RequireClientCertificate with BindTerminalsToClientCertificate); their sign-on, echo and key exchange still work. Register them with --mac, give them client certificates, or set Security:AllowTerminalsWithoutMac=true (warned at every start)")]
    private static partial void RefusedOverEveryConnection(ILogger logger, int count, string terminals, string address);
}
