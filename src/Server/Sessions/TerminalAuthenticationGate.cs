using Microsoft.Extensions.Logging;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Server.Diagnostics;
using SocketAtm.Server.Ledger;

namespace SocketAtm.Server.Sessions;

/// <summary>
/// Keeps terminals without a MAC key from transacting over connections that do not vouch for them (PROTOCOL.md §6,
/// step 3). A MAC terminal proves every request with its TAK; a terminal without one proves nothing, so its financial
/// requests (0100, 0200, 0400, 0420 and their repeats) are served only when the connection does: the host listens on
/// loopback, or the connection's client certificate names the terminal (mutual TLS with terminal binding). Elsewhere
/// they are answered 58 by the route table's refusal handler, which journals them as security events and moves nothing.
/// So is a key exchange (0800/161): its keys are wrapped under the TMK, but issuing them replaces the keys pending, which
/// the real terminal may have switched to — its customers' correct PINs would then count as wrong until their cards
/// block. Sign-on, echo and sign-off stay open: they move nothing, and a health check (HAProxy's) signs on such a terminal.
/// </summary>
internal sealed class TerminalAuthenticationGate
{
    private readonly bool _anyConnection;
    private readonly IMessageHandler _refusal;
    private readonly ILogger _logger;

    /// <param name="anyConnection">
    /// True when every connection may carry a terminal without a MAC key: the listener is on loopback, or the operator
    /// allowed it (<see cref="TerminalAuthenticationOptions.AllowTerminalsWithoutMac"/>). The gate then admits everything.
    /// </param>
    /// <param name="refusal">Answers a refused request (58) in place of its route's handler.</param>
    public TerminalAuthenticationGate(bool anyConnection, IMessageHandler refusal, ILogger logger)
    {
        _anyConnection = anyConnection;
        _refusal = refusal;
        _logger = logger;
    }

    /// <summary>
    /// True when a request of <paramref name="terminal"/> (financial, a key exchange, or other network management) may go
    /// on over the connection <paramref name="connection"/> describes. Costs nothing but a certificate-name lookup, and that
    /// only for a financial request or key exchange of a terminal without a MAC key off loopback.
    /// </summary>
    public bool Admits(TerminalRecord terminal, bool isFinancialOrKeyExchange, SessionTerminals connection) =>
        _anyConnection || terminal.RequiresMac || !isFinancialOrKeyExchange || connection.IsBoundTo(terminal.TerminalId);

    /// <summary>
    /// When the request must not go on, chooses the refusal handler for it (which logs it, until the terminal's violations
    /// are throttled); false, and nothing changed, when it may.
    /// </summary>
    public bool Refuses(MessageContext context, MessageRoute route, TerminalRecord terminal)
    {
        // Loopback (or allowed) and MAC terminals first: DE 70 is read only for a no-MAC terminal's 0800 off loopback.
        if (_anyConnection || terminal.RequiresMac
            || Admits(terminal, route.Representative.IsFinancial || IsKeyExchange(context.Request), context.Terminals))
        {
            return false;
        }

        context.Handler = _refusal;
        return true;
    }

    private static bool IsKeyExchange(IsoMessage request) =>
        MessageTypes.ClassOf(request.Mti) == MessageTypes.NetworkManagementRequest
        && request.TryGetNumber(DataElements.NetworkManagementCode, out var code)
        && code == NetworkManagementCodes.KeyExchange;
}
