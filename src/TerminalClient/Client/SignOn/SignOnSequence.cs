using SocketAtm.Client.Diagnostics;
using SocketAtm.Client.Exchange;
using SocketAtm.Client.Link;
using SocketAtm.Client.Messages;
using SocketAtm.Client.Security;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.Client.SignOn;

/// <summary>
/// One terminal's sign-on over a link — the 0800, then a key exchange when one is due, and only then signed on — and its
/// sign-off. What it leads to is kept in <see cref="SignOnState"/>.
/// </summary>
internal sealed class SignOnSequence(
    TerminalConnection connection,
    TerminalClientOptions options,
    TerminalExchange exchange,
    KeyExchanger keyExchanger,
    SignOnState signOn)
{
    /// <summary>
    /// 0800 with DE 70 = 001 (MACed when the terminal uses MACs). Unanswered (and not because the caller stopped waiting),
    /// the link is dropped for every terminal on it, and the reconnect signs them all on again; approved, the terminal
    /// first exchanges keys when the options ask for it.
    /// </summary>
    public async Task<NetworkResult> SignOnOverAsync(LinkSession session, CancellationToken cancellationToken)
    {
        var (code, reason, roundTrip) = await exchange.NetworkRequestAsync(session, NetworkManagementCodes.SignOn, cancellationToken);
        signOn.LastSignOnResponseCode = code;
        if (code is null)
        {
            Log.SignOnUnanswered(connection.Logger, options.TerminalId, reason);
            if (reason != NoResponseReason.Cancelled)
            {
                session.Abort();
            }

            return new NetworkResult(null, roundTrip);
        }

        if (code != ResponseCodes.Approved)
        {
            Log.SignOnRefused(connection.Logger, options.TerminalId, code);
            return new NetworkResult(code, roundTrip);
        }

        if (options.ExchangeKeysAtSignOn)
        {
            // Still signed off for financial requests, so none is in flight while the keys change. An exchange that got no
            // new keys leaves the terminal with keys the host still holds: it signs on all the same.
            await keyExchanger.ExchangeOverAsync(session, cancellationToken);
        }

        signOn.SignedOn(session);
        return new NetworkResult(code, roundTrip);
    }

    /// <summary>0800 with DE 70 = 002, waited for at most <see cref="TerminalConnectionOptions.SignOffTimeout"/>.</summary>
    public async Task SignOffOverAsync(LinkSession session)
    {
        signOn.SigningOff(session);
        using var timeout = new CancellationTokenSource(connection.Options.SignOffTimeout, connection.Options.TimeProvider);
        var (code, _, _) = await exchange.NetworkRequestAsync(session, NetworkManagementCodes.SignOff, timeout.Token);
        Log.SignedOff(connection.Logger, options.TerminalId, code ?? "no answer");
    }
}
